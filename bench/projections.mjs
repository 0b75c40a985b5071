// Projection benchmark (local workerd, state on disk): lag from commit to
// read model via the queue and via direct RPC delivery (executeSync), and
// rebuild throughput. Merges its figures into bench/results.json.
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

const LAG_SAMPLES = Number(process.env.LAG_SAMPLES ?? 200);
const REBUILD_EVENTS = 20_000;
const BURST_SIZES = [30, 300];

const persist = mkdtempSync(join(tmpdir(), 'escf-projection-bench-'));
const worker = await unstable_startWorker({
  config: join(here, '../packages/cloudflare/test/projection/bench/wrangler.jsonc'),
  dev: {
    server: { hostname: '127.0.0.1', port: 0 },
    inspector: false,
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'none',
    persist,
    watch: false,
  },
});
const get = async (path) => {
  const response = await worker.fetch(`http://bench${path}`);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

async function lags(via) {
  const run = `${via}-${Date.now()}`;
  await get(`/lag?via=${via}&n=${LAG_SAMPLES}&run=${run}`);
  for (let waited = 0; waited < 30_000; waited += 200) {
    const values = await get(`/lags?run=${run}`);
    if (values.length === LAG_SAMPLES) return values;
    await sleep(200);
  }
  throw new Error(`${via}: not every event reached the projection`);
}

try {
  await worker.ready;
  await get('/lag?via=direct&n=20&run=warmup'); // JIT, schema, objects
  const direct = await lags('direct');
  const queued = await lags('queue');

  // A hot aggregate: bursts of concurrent executeSync commands on one object, p99 per burst size.
  const bursts = {};
  for (const size of BURST_SIZES) {
    const { latencies } = await get(`/burst?n=${size}&run=burst-${size}-${Date.now()}`);
    bursts[size] = percentile(latencies, 99);
    // The same burst answered at commit (execute): what the object's serialized commands cost by themselves.
    const committed = await get(`/burst?n=${size}&via=async&run=burst-async-${size}-${Date.now()}`);
    bursts[`async${size}`] = percentile(committed.latencies, 99);
  }

  await get(`/seed?n=${REBUILD_EVENTS}&run=rebuild`);
  const started = await get('/rebuild');
  let status;
  for (let waited = 0; waited < 120_000; waited += 100) {
    status = (await get('/status')).rebuild;
    if (status.status === 'done') break;
    await sleep(100);
  }
  if (status.status !== 'done') throw new Error('rebuild did not finish');
  // Reading the same log without applying it, in this run: what the rebuild's speed is compared with.
  await get('/read');
  const read = await get('/read');
  const rebuildPerS = (status.applied / (status.finishedAt - started.startedAt)) * 1000;
  const readPerS = (read.events / Math.max(1, read.ms)) * 1000;
  const figures = {
    projection_lag_ms_p50_queue: percentile(queued, 50),
    projection_lag_ms_p99_queue: percentile(queued, 99),
    projection_lag_ms_p50_direct: percentile(direct, 50),
    projection_lag_ms_p99_direct: percentile(direct, 99),
    hot_burst_p99_ms_30: bursts[30],
    hot_burst_p99_ms_300: bursts[300],
    hot_burst_p99_ratio_300_over_30: Math.round((bursts[300] / bursts[30]) * 100) / 100,
    hot_burst_p99_ms_300_execute: bursts.async300,
    hot_burst_p99_ratio_sync_over_execute_300: Math.round((bursts[300] / bursts.async300) * 100) / 100,
    // The goal's figure: what waiting for delivery adds, at each burst size. The 300/30 ratio above grows
    // with the burst for both (one object serializes its commands); this one must not.
    hot_burst_p99_ms_30_execute: bursts.async30,
    hot_burst_p99_ratio_sync_over_execute_30: Math.round((bursts[30] / bursts.async30) * 100) / 100,
    hot_burst_p99_ratio_300_over_30_execute: Math.round((bursts.async300 / bursts.async30) * 100) / 100,
    rebuild_events_per_s: Math.round(rebuildPerS),
    rebuild_read_events_per_s: Math.round(readPerS),
    rebuild_ratio_vs_read: Math.round((rebuildPerS / readPerS) * 1000) / 1000,
  };
  mergeResults(figures);
  console.log('\nESCF projections (local workerd)');
  console.table(figures);
} finally {
  await worker.dispose();
  rmSync(persist, { recursive: true, force: true });
}
