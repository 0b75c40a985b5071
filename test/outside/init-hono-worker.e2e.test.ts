import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { repository, startDev, step } from './outside-project.mjs';

// A plain Hono Worker (as npm create hono makes one) gets ESCF with `escf init`.
let parent: string;
let project: string;
let initOutput: string;

beforeAll(async () => {
  const packs = inject('escfPacks');
  const tarball = (name: string) => `file:${join(packs, readdirSync(packs).find((file) => file.startsWith(`escf-${name}-`))!)}`;
  parent = mkdtempSync(join(tmpdir(), 'escf-outside-init-'));
  project = join(parent, 'hello-worker');
  cpSync(join(repository, 'packages', 'cli', 'test', 'fixtures', 'hono-worker'), project, { recursive: true });
  // As `npm i -D @escf/cli` would, from the tarball (the CLI's own @escf dependencies too).
  const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
  pkg.devDependencies['@escf/cli'] = tarball('cli');
  pkg.overrides = { '@escf/core': tarball('core'), '@escf/cloudflare': tarball('cloudflare') };
  writeFileSync(join(project, 'package.json'), JSON.stringify(pkg, null, 2));
  await step('npm install in the Hono Worker', 'npm', ['install'], { cwd: project });
  initOutput = await step('escf init', 'npx', ['escf', 'init', '--local-packages', packs], { cwd: project });
  // What init tells the user to do: mount the aggregate's routes in their app.
  const index = join(project, 'src', 'index.ts');
  writeFileSync(
    index,
    readFileSync(index, 'utf8')
      .replace("import { Hono } from 'hono';", "import { Hono } from 'hono';\nimport { counterRoutes } from './counter-routes.js';")
      .replace('export default app;', "app.route('/', counterRoutes);\n\nexport default app;"),
  );
});
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('escf init in a plain Hono Worker', () => {
  it('keeps the worker: its name, settings, comments and entry', () => {
    expect(initOutput).toContain("app.route('/', counterRoutes)");
    const wrangler = readFileSync(join(project, 'wrangler.jsonc'), 'utf8');
    expect(wrangler).toContain('// Their own settings: escf init must keep them.');
    expect(wrangler).toContain('"name": "hello-worker"');
    expect(wrangler).toContain('"GREETING": "Hello"');
    expect(wrangler).toContain('"main": "src/escf.generated.ts"');
    expect(readFileSync(join(project, 'src', 'escf.generated.ts'), 'utf8')).toContain("export { default } from './index.js';");
  });

  it('type-checks with the flags init set', async () => {
    await step('tsc in the initialised project', 'npx', ['tsc', '-p', 'tsconfig.json'], { cwd: project });
  });

  it('has its generated files up to date (escf check) and deploys in a dry run', async () => {
    expect(await step('escf check', 'npx', ['escf', 'check'], { cwd: project })).toMatch(/all \d+ generated files are up to date/);
    expect(await step('escf deploy --dry-run', 'npx', ['escf', 'deploy', '--dry-run'], { cwd: project })).toContain('deploy hello-worker: checked');
  });

  it('serves its old routes and the new command with npm run dev', async () => {
    const dev = await startDev(project, { readyPath: '/' });
    try {
      expect(await (await fetch(dev.url)).text()).toBe('Hello from a plain Hono Worker');
      const response = await fetch(`${dev.url}/counters/first/increment`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ by: 2 }) });
      expect(response.status, dev.output()).toBe(200);
      expect(await response.json()).toMatchObject({ id: 'first', version: 1, events: ['Incremented'] });
    } finally {
      await dev.stop();
    }
  });
});
