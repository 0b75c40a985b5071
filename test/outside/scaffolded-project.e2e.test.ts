import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { scaffold, startDev, step } from './outside-project.mjs';

// `npm create escf@latest my-app` → `npm run dev` → a command answered 201,
// with every package from its packed tarball and the project outside the repository.
let parent: string;
let project: string;
let started: number;

beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), 'escf-outside-create-'));
  project = join(parent, 'my-app');
  started = Date.now();
  // The scaffolder installs the dependencies and runs escf generate itself.
  await scaffold({ packs: inject('escfPacks'), parent, name: 'my-app' });
});
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('a project made by the packed create-escf', () => {
  it('serves its API with npm run dev and answers a command with 201', async () => {
    const dev = await startDev(project, { readyPath: '/openapi.json' });
    try {
      const response = await fetch(`${dev.url}/tasks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Try ESCF' }) });
      expect(response.status, dev.output()).toBe(201);
      console.log(`outside: create-escf → first 201 in ${((Date.now() - started) / 1000).toFixed(1)} s (scaffold, npm install, escf generate, npm run dev)`);
      const { id } = (await response.json()) as { id: string };
      expect(await (await fetch(`${dev.url}/tasks/${id}`)).json()).toMatchObject({ id, title: 'Try ESCF', done: false });
    } finally {
      await dev.stop();
    }
  });

  it('passes its own npm test (type check, unit and workerd tests)', async () => {
    const output = await step('npm test in the scaffolded project', 'npm', ['test'], { cwd: project });
    expect(output).toMatch(/Tests\s+\d+ passed/);
  });

  it('has its generated files up to date (escf check)', async () => {
    expect(await step('escf check', 'npx', ['escf', 'check'], { cwd: project })).toMatch(/all \d+ generated files are up to date/);
  });

  it('checks every deploy step with escf deploy --dry-run', async () => {
    const output = await step('escf deploy --dry-run', 'npx', ['escf', 'deploy', '--dry-run'], { cwd: project });
    expect(output).toContain('deploy my-app-tasks: checked');
    expect(output).toContain('deploy my-app-api: checked');
    expect(output).toContain('every step checked; nothing was deployed');
  });
});
