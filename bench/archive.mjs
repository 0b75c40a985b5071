// Archive benchmark (local workerd, state on disk): bytes per event in D1 vs
// in R2 segments, and whole-log read throughput (a projection rebuild's read
// path) from D1 vs from the R2 archive. Merges its figures into bench/results.json.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useEscfSources } from '../scripts/source-conditions.mjs';
import { mergeResults } from './results.mjs';

useEscfSources(); // @escf/* from source: wrangler and esbuild below bundle the repository's packages

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_SEND_METRICS ??= 'false';
const here = dirname(fileURLToPath(import.meta.url));
const { unstable_startWorker } = await import('wrangler');

const STREAMS = 100;
const EVENTS_PER_STREAM = 100; // 10,000 events, one D1 row each
const ROUNDS = Number(process.env.ARCHIVE_ROUNDS ?? 3);

const persist = mkdtempSync(join(tmpdir(), 'escf-archive-bench-'));
const worker = await unstable_startWorker({
  config: join(here, '../packages/cloudflare/test/archive/bench/wrangler.jsonc'),
  dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, logLevel: 'none', persist, watch: false },
});
const get = async (path) => {
  const response = await worker.fetch(`http://bench${path}`);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
};
const round = (value, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

try {
  await worker.ready;
  const seeded = await get(`/seed?table=bench_events&streams=${STREAMS}&events=${EVENTS_PER_STREAM}`);
  // Rebuild from D1 first (everything hot), then archive and read the same log again. Each source:
  // a warm-up read, then ROUNDS pairs of (read, projection rebuild) back to back; the figures are the
  // pair with the median ratio (a read of 10,000 events takes a fraction of a second, so one pair on
  // a shared machine swings by 2× or more).
  const pairs = async (from) => {
    await get('/rebuild?table=bench_events');
    const runs = [];
    for (let round = 0; round < ROUNDS; round++) {
      const read = await get('/rebuild?table=bench_events');
      const projected = await get(`/rebuild-projection?table=bench_events&from=${from}`);
      runs.push({ read, projected, ratio: projected.events / projected.ms / (read.events / read.ms) });
    }
    return runs.sort((a, b) => a.ratio - b.ratio)[Math.floor(runs.length / 2)];
  };
  const { read: fromD1, projected: projectedFromD1 } = await pairs('d1');
  const archived = await get('/archive?table=bench_events');
  const { read: fromArchive, projected: projectedFromArchive } = await pairs('archive');
  if (projectedFromArchive.quantity !== fromD1.quantity || projectedFromD1.quantity !== fromD1.quantity)
    throw new Error('a rebuilt projection does not hold the log');
  if (fromArchive.events !== fromD1.events || fromArchive.quantity !== fromD1.quantity)
    throw new Error('the archive does not read back the same log');

  const figures = {
    archive_bytes_per_event_d1: round(seeded.dbBytes / seeded.events, 1),
    archive_json_bytes_per_event_d1: round(seeded.jsonBytes / seeded.events, 1),
    archive_bytes_per_event_r2: round(archived.r2Bytes / archived.events, 1),
    rebuild_from_d1_events_per_s: round((fromD1.events / fromD1.ms) * 1000),
    rebuild_from_archive_events_per_s: round((fromArchive.events / fromArchive.ms) * 1000),
    archive_events_per_s: round((archived.events / archived.ms) * 1000),
    rebuild_projection_from_d1_events_per_s: round((projectedFromD1.events / projectedFromD1.ms) * 1000),
    rebuild_projection_from_archive_events_per_s: round((projectedFromArchive.events / projectedFromArchive.ms) * 1000),
  };
  figures.rebuild_ratio_vs_read_d1 = round(
    figures.rebuild_projection_from_d1_events_per_s / figures.rebuild_from_d1_events_per_s,
    3,
  );
  figures.rebuild_ratio_vs_read_archive = round(
    figures.rebuild_projection_from_archive_events_per_s / figures.rebuild_from_archive_events_per_s,
    3,
  );
  mergeResults(figures);
  console.log(
    `\nArchive (local workerd; ${seeded.events} events, one D1 row each; ${archived.events} archived in ${archived.segments} segments)`,
  );
  console.table({
    'bytes per event in D1 (database growth)': figures.archive_bytes_per_event_d1,
    'bytes per event in D1 (event JSON only)': figures.archive_json_bytes_per_event_d1,
    'bytes per event in R2 (gzip NDJSON)': figures.archive_bytes_per_event_r2,
    'rebuild read from D1 (events/s)': figures.rebuild_from_d1_events_per_s,
    'rebuild read from R2 archive (events/s)': figures.rebuild_from_archive_events_per_s,
    'archiving (events/s)': figures.archive_events_per_s,
    'projection rebuild from D1 (events/s)': figures.rebuild_projection_from_d1_events_per_s,
    'projection rebuild from R2 archive (events/s)': figures.rebuild_projection_from_archive_events_per_s,
    'projection rebuild / read, D1': figures.rebuild_ratio_vs_read_d1,
    'projection rebuild / read, archive': figures.rebuild_ratio_vs_read_archive,
  });
} finally {
  await worker.dispose();
  rmSync(persist, { recursive: true, force: true });
}
