import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryPoints, extractApi } from '../../scripts/api-report.mjs';
import {
  type PackedPackage,
  PUBLIC_PACKAGES,
  packageManifest,
  packPublicPackages,
  repoRoot,
} from '../../scripts/pack-packages.mjs';

const run = promisify(execFile);
const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);

/** Runs a tool; a non-zero exit fails the test with the tool's own report. */
async function tool(command: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args, {
      cwd: repoRoot,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    return `${stdout}\n${stderr}`;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`);
  }
}

/**
 * What npm would publish: every public package packed (its `prepack` builds
 * dist/ with tsc), then checked as a consumer's tools would see it.
 */
describe('published packages', () => {
  let dir: string;
  let packs: PackedPackage[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'escf-packs-'));
    packs = packPublicPackages(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('packs every public package and no example', () => {
    expect(packs.map((p) => p.name)).toEqual([...PUBLIC_PACKAGES]);
  });

  it.each(PUBLIC_PACKAGES)('%s ships built JavaScript, types and maps, and no tests', (name) => {
    const files = packs.find((p) => p.name === name)!.files;
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('dist/index.js.map');
    expect(files).toContain('dist/index.d.ts.map');
    expect(files.filter((f) => /\.test(-d)?\.ts$|tsbuildinfo|(^|\/)test\//.test(f))).toEqual([]);
  });

  it.each(PUBLIC_PACKAGES)('%s has publishing metadata and pins its sibling packages to their versions', (name) => {
    const manifest = packageManifest(name) as Record<string, any>;
    for (const field of ['license', 'repository', 'engines', 'files', 'exports', 'sideEffects'])
      expect(manifest[field], field).toBeDefined();
    for (const [subpath, target] of Object.entries(manifest.exports as Record<string, unknown>)) {
      if (typeof target === 'string') continue;
      // Conditions are order-sensitive: the source condition (this repository only), then types, then JavaScript.
      expect(Object.keys(target as object), subpath).toEqual(['escf-source', 'types', 'default']);
    }
    for (const [dependency, range] of Object.entries({
      ...manifest.dependencies,
      ...manifest.peerDependencies,
    } as Record<string, string>)) {
      expect(range, dependency).not.toMatch(/^(file|link|workspace):|\.\.\//);
      if (dependency.startsWith('@escf/')) expect(range, dependency).toBe(packageManifest(dependency).version);
    }
  });

  it.each(PUBLIC_PACKAGES)('%s passes publint (strict)', async (name) => {
    const output = await tool(bin('publint'), ['run', packs.find((p) => p.name === name)!.tarball, '--strict']);
    expect(output).toContain('All good!');
  });

  it.each(PUBLIC_PACKAGES)(
    '%s resolves with types under node16 and bundler resolution (attw, ESM-only)',
    async (name) => {
      await tool(bin('attw'), [
        packs.find((p) => p.name === name)!.tarball,
        '--profile',
        'esm-only',
        '--format',
        'table-flipped',
      ]);
    },
  );

  it.each(PUBLIC_PACKAGES)('%s publishes (npm publish --dry-run)', async (name) => {
    const output = await tool('npm', ['publish', '--dry-run', '-w', name]);
    expect(output).toContain(`+ ${name}@`);
  });

  // After packing, dist/ holds fresh declarations: each entry point's surface must match its reviewed report.
  it.each(entryPoints().map((entry) => [`${entry.packageName}${entry.subpath.slice(1)}`, entry] as const))(
    '%s matches its API report (packages/*/etc/*.api.md)',
    (_, entry) => {
      const outcome = extractApi(entry);
      expect(outcome.errors).toEqual([]);
      expect(
        outcome.reportChanged,
        `${entry.packageName}${entry.subpath.slice(1)} changed its public API. If intended, run \`node scripts/api-report.mjs --update\` and commit ${outcome.reportPath}.`,
      ).toBe(false);
    },
  );
});
