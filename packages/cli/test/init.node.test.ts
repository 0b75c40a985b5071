import { existsSync, rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { init } from '../src/commands/init.js';
import { copyFixture, type FixtureCopy } from './support/fixture-copy.js';

let project: FixtureCopy;
beforeEach(() => {
  project = copyFixture('hono-worker');
});
afterEach(() => project.remove());

const quiet = () => {};

describe('escf init', () => {
  it('adds ESCF to a Hono Worker and keeps its settings, comments and entry', async () => {
    const result = await init({ dir: project.dir, install: false, version: '0.1.0', log: quiet });
    expect(result.written).toEqual(['escf.config.ts', 'src/domain/counter.ts', 'src/counter-routes.ts']);
    const pkg = JSON.parse(project.read('package.json'));
    expect(pkg.dependencies).toMatchObject({
      '@escf/core': '0.1.0',
      '@escf/cloudflare': '0.1.0',
      '@escf/hono': '0.1.0',
      hono: '4.13.19',
      zod: expect.any(String),
    });
    expect(pkg.devDependencies).toMatchObject({ '@escf/cli': '0.1.0', '@escf/testing': '0.1.0', wrangler: '4.164.0' });
    expect(pkg.scripts).toMatchObject({
      dev: 'escf dev',
      deploy: 'escf deploy',
      generate: 'escf generate',
      check: 'escf check',
    });
    const tsconfig = project.read('tsconfig.json');
    expect(tsconfig).toContain("// The project's own TypeScript settings.");
    expect(tsconfig).toMatch(/"experimentalDecorators": true/);
    expect(tsconfig).toMatch(/"useDefineForClassFields": false/);
    const config = project.read('escf.config.ts');
    expect(config).toContain('workerName: "hello-worker"');
    expect(config).toContain('entry: "./src/index.ts"');
    // wrangler.jsonc is left to escf generate, which keeps it as it is apart from ESCF's bindings.
    expect(project.read('wrangler.jsonc')).toContain('// Their own settings: escf init must keep them.');
  });

  it('depends on packed tarballs with --local-packages, and points their inner dependencies at them', async () => {
    project.write('escf-core-0.1.0.tgz', '');
    project.write('escf-cli-0.1.0.tgz', '');
    await init({ dir: project.dir, install: false, version: '0.1.0', localPackages: project.dir, log: quiet });
    const pkg = JSON.parse(project.read('package.json'));
    expect(pkg.dependencies['@escf/core']).toBe(`file:${project.path('escf-core-0.1.0.tgz')}`);
    expect(pkg.devDependencies['@escf/cli']).toBe(`file:${project.path('escf-cli-0.1.0.tgz')}`);
    expect(pkg.overrides).toEqual({ '@escf/core': '$@escf/core', '@escf/cli': '$@escf/cli' });
  });

  it.each([
    [
      'a wrangler.toml project',
      (p: FixtureCopy) => p.write('wrangler.toml', 'name = "x"\n'),
      /convert the file to wrangler\.jsonc first/,
      'wrangler.jsonc',
    ],
    [
      'a project that already uses ESCF',
      (p: FixtureCopy) => p.write('escf.config.ts', ''),
      /escf\.config\.ts already exists/,
      undefined,
    ],
    [
      'a worker without main',
      (p: FixtureCopy) => p.edit('wrangler.jsonc', '"main": "src/index.ts",', ''),
      /has no "main"/,
      undefined,
    ],
    [
      'a project with a file init would overwrite',
      (p: FixtureCopy) => p.write('src/counter-routes.ts', 'mine'),
      /src\/counter-routes\.ts already exists/,
      undefined,
    ],
  ])('refuses %s and changes nothing', async (_name, setUp, message, remove) => {
    setUp(project);
    if (remove) rmSync(project.path(remove));
    const before = project.read('package.json');
    await expect(init({ dir: project.dir, install: false, version: '0.1.0', log: quiet })).rejects.toThrow(message);
    expect(project.read('package.json')).toBe(before);
    expect(existsSync(project.path('escf.config.ts')) && project.read('escf.config.ts') !== '').toBe(false);
  });
});
