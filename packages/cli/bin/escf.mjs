#!/usr/bin/env node
// The `escf` command. Installed from npm, it runs the built CLI in dist/.
// Inside ESCF's own repository (not under node_modules) it runs the
// TypeScript sources instead, bundled on the fly with esbuild (about 50 ms),
// so the CLI needs no build step there and works on Node 20 and 22 alike.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(import.meta.url);
const installed = here.includes(`${sep}node_modules${sep}`);

process.exitCode = await (installed ? runBuilt() : runSources());

async function runBuilt() {
  const { main } = await import('../dist/main.js');
  return main(process.argv.slice(2));
}

async function runSources() {
  const { build } = await import('esbuild');
  // The repository's packages resolve to their sources through this export condition.
  process.env.ESCF_BUILD_CONDITIONS ??= 'escf-source';
  process.env.WRANGLER_BUILD_CONDITIONS ??= 'escf-source,workerd,worker,browser';
  const outDir = mkdtempSync(join(tmpdir(), 'escf-cli-'));
  const outFile = join(outDir, 'escf-cli.mjs');
  try {
    await build({
      entryPoints: [fileURLToPath(new URL('../src/main.ts', import.meta.url))],
      outfile: outFile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'error',
      conditions: ['escf-source'],
      // Prefer ESM builds: jsonc-parser's UMD main requires its parts dynamically.
      mainFields: ['module', 'main'],
      // esbuild stays external (it finds its native binary at run time); the
      // bundle lives in a temp dir, so it imports esbuild by absolute URL.
      plugins: [
        {
          name: 'external-esbuild',
          setup(b) {
            b.onResolve({ filter: /^esbuild$/ }, () => ({ path: import.meta.resolve('esbuild'), external: true }));
          },
        },
      ],
    });
    const { main } = await import(pathToFileURL(outFile).href);
    return await main(process.argv.slice(2));
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
