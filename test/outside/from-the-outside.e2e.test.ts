import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { repository, scaffold, startDev, step } from '../../scripts/outside-project.mjs';

// ESCF as a user gets it: every package from its packed tarball (see
// pack-packages.ts), every project in the OS temp dir, outside this
// repository. The three projects are set up at once (npm install waits on
// the network more than on the CPU); the tests then drive each in turn.
let parent: string;
const minimal = { dir: '', output: '', startedAt: 0 };
const users = { dir: '' };
const initialised = { dir: '', initOutput: '' };

beforeAll(async () => {
  const packs = inject('escfPacks');
  parent = mkdtempSync(join(tmpdir(), 'escf-outside-'));
  minimal.dir = join(parent, 'my-app');
  users.dir = join(parent, 'people');
  initialised.dir = join(parent, 'hello-worker');
  minimal.startedAt = Date.now();
  // create-escf installs the dependencies and runs escf generate itself.
  const scaffoldMinimal = scaffold({ packs, parent, name: 'my-app' }).then((output) => (minimal.output = output));
  const scaffoldUsers = scaffold({ packs, parent, name: 'people', template: 'users' });
  await Promise.all([scaffoldMinimal, scaffoldUsers, initHonoWorker(packs)]);
}, 900_000);
afterAll(() => rmSync(parent, { recursive: true, force: true }));

/** A plain Hono Worker (as npm create hono makes one) that gets ESCF from `escf init`. */
async function initHonoWorker(packs: string) {
  const tarball = (name: string) =>
    `file:${join(packs, readdirSync(packs).find((file) => file.startsWith(`escf-${name}-`))!)}`;
  const project = initialised.dir;
  cpSync(join(repository, 'packages', 'cli', 'test', 'fixtures', 'hono-worker'), project, { recursive: true });
  // As `npm i -D @escf/cli` would, from the tarball (the CLI's own @escf dependencies too).
  const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
  pkg.devDependencies['@escf/cli'] = tarball('cli');
  pkg.overrides = { '@escf/core': tarball('core'), '@escf/cloudflare': tarball('cloudflare') };
  writeFileSync(join(project, 'package.json'), JSON.stringify(pkg, null, 2));
  await step('npm install in the Hono Worker', 'npm', ['install'], { cwd: project });
  initialised.initOutput = await step('escf init', 'npx', ['escf', 'init', '--local-packages', packs], {
    cwd: project,
  });
  // What init tells the user to do: mount the aggregate's routes in their app.
  const index = join(project, 'src', 'index.ts');
  writeFileSync(
    index,
    readFileSync(index, 'utf8')
      .replace(
        "import { Hono } from 'hono';",
        "import { Hono } from 'hono';\nimport { counterRoutes } from './counter-routes.js';",
      )
      .replace('export default app;', "app.route('/', counterRoutes);\n\nexport default app;"),
  );
}

describe('a project made by the packed create-escf (minimal template)', () => {
  it('serves its API with npm run dev and answers a command with 201', async () => {
    const dev = await startDev(minimal.dir, { readyPath: '/openapi.json' });
    try {
      const response = await fetch(`${dev.url}/tasks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Try ESCF' }),
      });
      expect(response.status, dev.output()).toBe(201);
      console.log(
        `outside: create-escf → first 201 in ${((Date.now() - minimal.startedAt) / 1000).toFixed(1)} s (scaffold, npm install, escf generate, npm run dev; two more projects installing alongside)`,
      );
      const { id } = (await response.json()) as { id: string };
      expect(await (await fetch(`${dev.url}/tasks/${id}`)).json()).toMatchObject({
        id,
        title: 'Try ESCF',
        done: false,
      });
    } finally {
      await dev.stop();
    }
  });

  it('installs without install-script warnings (allowScripts approves them)', () => {
    expect(minimal.output).toContain('added');
    expect(minimal.output).not.toContain('install-scripts');
  });

  it('passes its own npm test (type check, unit and workerd tests)', async () => {
    expect(await step('npm test in the scaffolded project', 'npm', ['test'], { cwd: minimal.dir })).toMatch(
      /Tests\s+\d+ passed/,
    );
  });

  it('has its generated files up to date (escf check)', async () => {
    expect(await step('escf check', 'npx', ['escf', 'check'], { cwd: minimal.dir })).toMatch(
      /all \d+ generated files are up to date/,
    );
  });

  it('checks every deploy step with escf deploy --dry-run', async () => {
    const output = await step('escf deploy --dry-run', 'npx', ['escf', 'deploy', '--dry-run'], { cwd: minimal.dir });
    expect(output).toContain('deploy my-app-tasks: checked');
    expect(output).toContain('deploy my-app-api: checked');
    expect(output).toContain('every step checked; nothing was deployed');
  });
});

describe('a project made by the packed create-escf (users template)', () => {
  it('passes its own npm test (type check, unit and workerd tests)', async () => {
    expect(await step('npm test in the users project', 'npm', ['test'], { cwd: users.dir })).toMatch(
      /Tests\s+\d+ passed/,
    );
  });
});

describe('escf init in a plain Hono Worker', () => {
  it('keeps the worker: its name, settings, comments and entry', () => {
    expect(initialised.initOutput).toContain("app.route('/', counterRoutes)");
    const wrangler = readFileSync(join(initialised.dir, 'wrangler.jsonc'), 'utf8');
    expect(wrangler).toContain('// Their own settings: escf init must keep them.');
    expect(wrangler).toContain('"name": "hello-worker"');
    expect(wrangler).toContain('"GREETING": "Hello"');
    expect(wrangler).toContain('"main": "src/escf.generated.ts"');
    expect(readFileSync(join(initialised.dir, 'src', 'escf.generated.ts'), 'utf8')).toContain(
      "export { default } from './index.js';",
    );
  });

  it('type-checks with the flags init set', async () => {
    await step('tsc in the initialised project', 'npx', ['tsc', '-p', 'tsconfig.json'], { cwd: initialised.dir });
  });

  it('has its generated files up to date (escf check) and deploys in a dry run', async () => {
    expect(await step('escf check', 'npx', ['escf', 'check'], { cwd: initialised.dir })).toMatch(
      /all \d+ generated files are up to date/,
    );
    expect(
      await step('escf deploy --dry-run', 'npx', ['escf', 'deploy', '--dry-run'], { cwd: initialised.dir }),
    ).toContain('deploy hello-worker: checked');
  });

  it('serves its old routes and the new command with npm run dev', async () => {
    const dev = await startDev(initialised.dir, { readyPath: '/' });
    try {
      expect(await (await fetch(dev.url)).text()).toBe('Hello from a plain Hono Worker');
      const response = await fetch(`${dev.url}/counters/first/increment`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ by: 2 }),
      });
      expect(response.status, dev.output()).toBe(200);
      expect(await response.json()).toMatchObject({ id: 'first', version: 1, events: ['Incremented'] });
    } finally {
      await dev.stop();
    }
  });
});
