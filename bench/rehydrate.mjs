// Builds and runs bench/rehydrate.bench.ts (decorators need a compile step),
// then merges its figures into bench/results.json. Run with `npm run bench`.

import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { SOURCE_CONDITION, useEscfSources } from '../scripts/source-conditions.mjs';
import { mergeResults } from './results.mjs';

useEscfSources(); // @escf/* from source: wrangler and esbuild below bundle the repository's packages

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, '.tmp');
mkdirSync(outdir, { recursive: true });
const outfile = join(outdir, 'rehydrate.mjs');
await build({
  entryPoints: [join(here, 'rehydrate.bench.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  logLevel: 'warning',
  tsconfig: join(here, '..', 'tsconfig.base.json'),
  conditions: [SOURCE_CONDITION],
});
const figures = JSON.parse(execFileSync(process.execPath, [outfile], { encoding: 'utf8' }).trim().split('\n').pop());
mergeResults(figures);
console.table(figures);
