import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/create-escf.mjs', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Runs create-escf without a terminal (so it never prompts); resolves with its exit code and output. */
function createEscf(args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'create-escf-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const read = (...path: string[]) => readFileSync(join(work, ...path), 'utf8');

describe('create-escf', () => {
  it('scaffolds the minimal template under the project name, every @escf package pinned to its own version', async () => {
    const { code, output } = await createEscf(['My_App', '--yes', '--no-install'], work);
    expect(code, output).toBe(0);
    expect(output).toContain('npm run dev');
    const pkg = JSON.parse(read('My_App', 'package.json'));
    expect(pkg.name).toBe('my_app');
    const escf = { ...pkg.dependencies, ...pkg.devDependencies };
    expect(
      Object.keys(escf)
        .filter((name) => name.startsWith('@escf/'))
        .sort(),
    ).toEqual(['@escf/cli', '@escf/cloudflare', '@escf/core', '@escf/hono', '@escf/testing']);
    for (const [name, spec] of Object.entries(escf)) expect(spec, name).toMatch(/^\d+\.\d+\.\d+/);
    expect(pkg.dependencies['@escf/core']).toBe(version);
    // The template's system name is replaced everywhere, generated files included.
    expect(read('My_App', 'escf.config.ts')).toContain("name: 'my-app'");
    expect(read('My_App', 'workers', 'api', 'wrangler.jsonc')).toContain('"service": "my-app-tasks"');
    expect(existsSync(join(work, 'My_App', '.gitignore'))).toBe(true);
    expect(existsSync(join(work, 'My_App', '_gitignore'))).toBe(false);
    for (const file of [
      'README.md',
      'tsconfig.json',
      'test/task.unit.test.ts',
      'test/api.int.test.ts',
      'workers/api/src/escf.generated.ts',
    ]) {
      expect(existsSync(join(work, 'My_App', file)), file).toBe(true);
    }
  });

  it('scaffolds the users template', async () => {
    const { code, output } = await createEscf(['shop', '--template', 'users', '--yes', '--no-install'], work);
    expect(code, output).toBe(0);
    expect(read('shop', 'workers', 'api', 'wrangler.jsonc')).toContain('"service": "shop-users"');
    expect(read('shop', 'workers', 'console', 'wrangler.jsonc')).toContain('"service": "shop-api"');
    expect(JSON.parse(read('shop', 'package.json')).dependencies['class-validator']).toBeDefined();
  });

  it('depends on local tarballs with --local-packages, for the packages and their dependencies on each other', async () => {
    const tarballs = join(work, 'tarballs');
    mkdirSync(tarballs);
    for (const name of ['core', 'cloudflare', 'hono', 'cli', 'testing'])
      writeFileSync(join(tarballs, `escf-${name}-${version}.tgz`), '');
    const { code, output } = await createEscf(['app', '--yes', '--no-install', '--local-packages', tarballs], work);
    expect(code, output).toBe(0);
    const pkg = JSON.parse(read('app', 'package.json'));
    expect(pkg.dependencies['@escf/core']).toBe(`file:${join(tarballs, `escf-core-${version}.tgz`)}`);
    expect(pkg.devDependencies['@escf/cli']).toBe(`file:${join(tarballs, `escf-cli-${version}.tgz`)}`);
    expect(pkg.overrides['@escf/core']).toBe('$@escf/core');
  });

  it('refuses a non-empty folder and writes nothing', async () => {
    mkdirSync(join(work, 'taken'));
    writeFileSync(join(work, 'taken', 'notes.txt'), 'mine');
    const { code, output } = await createEscf(['taken', '--yes'], work);
    expect(code).toBe(2);
    expect(output).toMatch(
      /taken is not empty \(notes\.txt\)\. Choose a new directory or empty this one; nothing was written\./,
    );
    expect(readdirSync(join(work, 'taken'))).toEqual(['notes.txt']);
  });

  it.each([
    [['app', '--template', 'nope', '--yes'], /unknown template 'nope'; choose minimal or users/],
    [['--yes'], /name the project directory/],
    [['app', '--yes', '--local-packages', '/does/not/exist'], /--local-packages: \/does\/not\/exist does not exist/],
  ])('explains a wrong command line (%j) with exit code 2', async (args, message) => {
    const { code, output } = await createEscf(args, work);
    expect(code).toBe(2);
    expect(output).toMatch(message);
    expect(existsSync(join(work, 'app'))).toBe(false);
  });
});
