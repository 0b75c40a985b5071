import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { scaffold, step } from './outside-project.mjs';

// The users template (four workers, a service-binding cycle) from the packed create-escf.
let parent: string;
let project: string;

beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), 'escf-outside-users-'));
  project = join(parent, 'people');
  await scaffold({ packs: inject('escfPacks'), parent, name: 'people', template: 'users' });
});
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('a project from the users template', () => {
  it('passes its own npm test (type check, unit and workerd tests)', async () => {
    expect(await step('npm test in the users project', 'npm', ['test'], { cwd: project })).toMatch(/Tests\s+\d+ passed/);
  });

  it('plans its deploy around the API ↔ users cycle and checks every step (escf deploy --dry-run)', async () => {
    const output = await step('escf deploy --dry-run', 'npx', ['escf', 'deploy', '--dry-run'], { cwd: project });
    expect(output).toContain('deploy people-api: checked with and without USERS, SESSIONS (again at the end)');
    expect(output).toContain('deploy people-api (again, with every binding): checked');
    expect(output).toContain('every step checked; nothing was deployed');
  });
});
