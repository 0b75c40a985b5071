#!/usr/bin/env node
// The `escf` command. The CLI is written in TypeScript and shipped as source,
// so this launcher bundles it with esbuild on the fly (about 50 ms) and runs
// it. That works on Node 20 and 22 alike, without a build step or type stripping.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const outDir = mkdtempSync(join(tmpdir(), 'escf-cli-'));
const outFile = join(outDir, 'escf-cli.mjs');
let code = 1;
try {
  await build({
    entryPoints: [fileURLToPath(new URL('../src/main.ts', import.meta.url))],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
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
  code = await main(process.argv.slice(2));
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
process.exitCode = code;
