import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const templates = fileURLToPath(new URL('../templates', import.meta.url));
const repository = fileURLToPath(new URL('../../..', import.meta.url));
const escf = join(repository, 'packages', 'cli', 'bin', 'escf.mjs');
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' };

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe.each(['minimal', 'users'])('the %s template', (template) => {
  it('ships generated files that escf generate would write unchanged (escf check)', async () => {
    // execFile rejects on a non-zero exit, with the diff escf check printed.
    const { stdout } = await run(process.execPath, [escf, 'check'], { cwd: join(templates, template), env });
    expect(stdout).toMatch(/escf check: all \d+ generated files are up to date/);
  });
});

describe.each(['minimal', 'users'])("the %s template's package.json", (template) => {
  it('pins the same versions as this repository (Node, wrangler, vitest, zod…)', () => {
    const root = JSON.parse(readFileSync(join(repository, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const pkg = JSON.parse(readFileSync(join(templates, template, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string>
    >;
    const pinned = { ...pkg.dependencies, ...pkg.devDependencies };
    const shared = Object.keys(pinned).filter((name) => name in root.devDependencies);
    expect(shared).toEqual(expect.arrayContaining(['node', 'wrangler', 'vitest', 'typescript', 'zod', 'hono']));
    for (const name of shared) expect(pinned[name], name).toBe(root.devDependencies[name]);
  });
});

describe('the users template', () => {
  it('has the same domain, projections and process as examples/users (only names differ)', () => {
    const example = join(repository, 'examples', 'users');
    const own = (path: string) => /\.generated\.ts$|escf\.managed\.json$|wrangler\.jsonc$/.test(path);
    const sources = [...files(join(example, 'src')), ...files(join(example, 'workers'))].filter(
      (path) => !own(path) && !path.includes('.wrangler'),
    );
    expect(sources.length).toBeGreaterThan(10);
    for (const source of sources) {
      const path = relative(example, source);
      expect(
        readFileSync(join(templates, 'users', path), 'utf8'),
        `${path} differs from examples/users: copy it over`,
      ).toBe(readFileSync(source, 'utf8'));
    }
  });
});
