// A project as a new user gets it: every package packed, `create-escf`
// (from its tarball) scaffolding the minimal template in the OS temp dir
// with --local-packages, npm install, escf generate, `npm run dev`, and the
// first command answered 201. Merged into bench/results.json:
// - `bundle_kb_gzip_scaffold_api`: the scaffolded API worker's upload
//   (gzip KiB, `wrangler deploy --dry-run --outdir`), from the installed
//   packages' dist/ — what a deploy of a fresh project would upload;
// - `scaffold_s_to_first_201`: seconds from running create-escf to the first
//   201 (this machine, npm's cache warm; network-bound, not a speed claim).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packPackages, scaffold, startDev, step } from '../scripts/outside-project.mjs';
import { mergeResults } from './results.mjs';

const work = mkdtempSync(join(tmpdir(), 'escf-bench-scaffold-'));
try {
  const packs = join(work, 'packs');
  await packPackages(packs);
  const project = join(work, 'my-app');
  const started = Date.now();
  await scaffold({ packs, parent: work, name: 'my-app' });
  const dev = await startDev(project, { readyPath: '/openapi.json' });
  let seconds;
  try {
    const response = await fetch(`${dev.url}/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Try ESCF' }),
    });
    if (response.status !== 201) throw new Error(`POST /tasks answered ${response.status}:\n${dev.output()}`);
    seconds = Math.round((Date.now() - started) / 100) / 10;
  } finally {
    await dev.stop();
  }
  const output = await step(
    'wrangler deploy --dry-run',
    'npx',
    ['wrangler', 'deploy', '--dry-run', '--outdir', 'dist', '-c', 'workers/api/wrangler.jsonc'],
    { cwd: project },
  );
  const size = /gzip: ([\d.]+) KiB/.exec(output);
  if (!size) throw new Error(`no bundle size in wrangler's output:\n${output}`);
  const figures = { bundle_kb_gzip_scaffold_api: Number(size[1]), scaffold_s_to_first_201: seconds };
  mergeResults(figures);
  console.log("\nA scaffolded project (create-escf → first 201; its API worker's upload)");
  console.table(figures);
} finally {
  rmSync(work, { recursive: true, force: true });
}
