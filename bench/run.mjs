// `npm run bench`: ESCF runtime throughput inside local workerd (commands/s
// vs a hand-written Durable Object, outbox drain into D1, D1 rows written
// per event), then the other benchmarks in this folder. Every figure is
// merged into bench/results.json (a flat object).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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

const ROUNDS = 4;
const COMMANDS = 1_500;
const DRAIN_EVENTS = 2_000;
const PER_COMMAND_DRAINS = 200;
const METRICS_OVERHEAD_COMMANDS = 4_000;
const METRICS_OVERHEAD_ROUNDS = 3;
const SHARDED_EVENTS = 800;
const SHARDED_ROUNDS = 5;
const SHARDED_DELIVERIES = 400;

/** ESCF vs raw commands/s, outbox drain into D1, and D1 cost per event. */
async function runtimeBenchmark() {
  const persist = mkdtempSync(join(tmpdir(), 'escf-bench-')); // state on disk, like production
  const worker = await unstable_startWorker({
    config: join(here, '../packages/cloudflare/test/bench-worker/wrangler.jsonc'),
    dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, logLevel: 'none', persist, watch: false },
  });
  try {
    await worker.ready;
    const get = async (path) => {
      const response = await worker.fetch(`http://bench${path}`);
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.json();
    };
    const rate = async (kind, objects, n) => {
      const { commands, ms } = await get(`/commands?kind=${kind}&objects=${objects}&n=${n}&run=${kind}${objects}`);
      return (commands / ms) * 1000;
    };
    // Warm up both paths (JIT, object creation, D1 schema).
    for (const kind of ['raw', 'escf']) await rate(kind, 1, 300);

    // Interleave raw and ESCF in every round so drift and noise (±30% on a
    // shared machine) hit both alike; ratios are taken per round, then the median.
    const samples = { rawSeq: [], escfSeq: [], heldSeq: [], rawConc: [], escfConc: [] };
    for (let round = 0; round < ROUNDS; round++) {
      samples.rawSeq.push(await rate('raw', 1, COMMANDS));
      samples.escfSeq.push(await rate('escf', 1, COMMANDS));
      samples.heldSeq.push(await rate('escf-held', 1, COMMANDS));
      samples.rawConc.push(await rate('raw', 16, COMMANDS));
      samples.escfConc.push(await rate('escf', 16, COMMANDS));
    }
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const ratios = (escf, raw) => median(escf.map((value, i) => value / raw[i]));
    const rawSeq = median(samples.rawSeq);
    const escfSeq = median(samples.escfSeq);
    const rawConc = median(samples.rawConc);
    const escfConc = median(samples.escfConc);

    const drain = await get(`/drain?n=${DRAIN_EVENTS}`);
    if (drain.failures.length > 0 || drain.storedInD1 !== DRAIN_EVENTS)
      throw new Error(`drain failed: ${JSON.stringify(drain)}`);
    const perCommand = await get(`/drain-per-command?n=${PER_COMMAND_DRAINS}`);
    // Command metrics on vs off: blocks of commands interleaved ABBA inside one request; each request
    // reports the median of its per-pair ratios, and the figure is the median of the requests'.
    const overheadRatios = [];
    for (let round = 0; round < METRICS_OVERHEAD_ROUNDS; round++)
      overheadRatios.push((await get(`/metrics-overhead?n=${METRICS_OVERHEAD_COMMANDS}`)).medianRatio);

    return {
      commands_per_s_raw_sequential: round(rawSeq),
      commands_per_s_escf_sequential: round(escfSeq),
      commands_ratio_sequential: round(ratios(samples.escfSeq, samples.rawSeq), 3),
      commands_ratio_sequential_outbox_held: round(ratios(samples.heldSeq, samples.rawSeq), 3),
      commands_per_s_raw_concurrent: round(rawConc),
      commands_per_s_escf_concurrent: round(escfConc),
      commands_ratio_concurrent: round(ratios(samples.escfConc, samples.rawConc), 3),
      outbox_events_per_s: round((drain.storedInD1 / drain.ms) * 1000),
      d1_rows_written_per_event: round(drain.d1RowsWritten / drain.storedInD1, 4),
      d1_rows_written_per_event_per_command_drain: round(perCommand.d1RowsWritten / perCommand.storedInD1, 3),
      // Commands/s with command metrics on ÷ off, same run (1 aggregate, sequential).
      metrics_overhead_ratio: round(median(overheadRatios), 3),
    };
  } finally {
    await worker.dispose();
    rmSync(persist, { recursive: true, force: true });
  }
}

/**
 * The same drain and rebuild over 1, 2 and 4 D1 shard databases, in one run:
 * 16 aggregates commit with the outbox held, then all drain at once, one D1
 * append per event; then a projection is rebuilt from that layout's log.
 * Layouts take turns inside every round (1, 2, 4, 1, 2, 4, …) so that load
 * from other processes hits all three alike; ratios are taken per round,
 * then the median (one sample per layout, run one after another, once gave
 * 52, 10 and 6 events/s on a loaded machine: noise, not sharding).
 */
async function shardedBenchmark() {
  const persist = mkdtempSync(join(tmpdir(), 'escf-bench-sharded-'));
  const worker = await unstable_startWorker({
    config: join(here, '../packages/cloudflare/test/bench-worker/wrangler.jsonc'),
    dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, logLevel: 'none', persist, watch: false },
  });
  try {
    await worker.ready;
    const get = async (path) => {
      const response = await worker.fetch(`http://bench${path}`);
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.json();
    };
    const layouts = [1, 2, 4];
    const figures = {};
    const drain = { 1: [], 2: [], 4: [] };
    const rebuild = { 1: [], 2: [], 4: [] };
    const perShard = { 1: [0], 2: [0, 0], 4: [0, 0, 0, 0] };
    // Warm-up (schema, JIT, Durable Object creation), not counted.
    for (const shards of layouts) await get(`/sharded-drain?shards=${shards}&aggregates=4&n=5&run=warm${shards}`);
    for (let round = 0; round < SHARDED_ROUNDS; round++) {
      for (const shards of layouts) {
        const result = await get(
          `/sharded-drain?shards=${shards}&aggregates=16&n=${SHARDED_EVENTS / 16}&run=s${shards}r${round}`,
        );
        if (result.failures.length > 0 || result.stored !== SHARDED_EVENTS)
          throw new Error(`sharded drain failed: ${JSON.stringify(result)}`);
        drain[shards].push((result.stored / result.ms) * 1000);
        perShard[shards] = result.perShard;
      }
    }
    const logSize = { 1: 0, 2: 0, 4: 0 };
    for (const shards of layouts) logSize[shards] = perShard[shards].reduce((sum, n) => sum + n, 0);
    for (let round = 0; round < SHARDED_ROUNDS; round++) {
      for (const shards of layouts) {
        const rebuilt = await get(`/sharded-rebuild?shards=${shards}`);
        if (rebuilt.status !== 'done' || rebuilt.applied !== logSize[shards])
          throw new Error(`sharded rebuild failed: ${JSON.stringify(rebuilt)}`);
        rebuild[shards].push((rebuilt.applied / rebuilt.ms) * 1000);
      }
    }
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const ratio = (samples, shards) => round(median(samples[shards].map((value, i) => value / samples[1][i])), 3);
    for (const shards of layouts) {
      figures[`sharded_drain_rows_per_shard_${shards}`] = perShard[shards].join('/');
      figures[`sharded_drain_events_per_s_${shards}`] = round(median(drain[shards]));
      figures[`sharded_rebuild_events_per_s_${shards}`] = round(median(rebuild[shards]));
      // The share of appends the busiest shard took: with one D1 per shard running one query at a time
      // (production), 1 / share is the most a layout can speed the drain up, whatever local workerd shows.
      figures[`sharded_drain_busiest_shard_share_${shards}`] = round(
        Math.max(...perShard[shards]) / logSize[shards],
        3,
      );
    }
    figures.sharded_drain_ratio_2_over_1 = ratio(drain, 2);
    figures.sharded_drain_ratio_4_over_1 = ratio(drain, 4);
    figures.sharded_rebuild_ratio_2_over_1 = ratio(rebuild, 2);
    figures.sharded_rebuild_ratio_4_over_1 = ratio(rebuild, 4);
    // Live delivery over 2 shards (one event per call, as the outbox sends them) with the per-shard
    // applied positions recorded (what the admin's exact lag reads) and without, alternating; per-round ratio.
    const delivery = { on: [], off: [] };
    for (let round = 0; round < SHARDED_ROUNDS; round++) {
      for (const positions of ['on', 'off']) {
        const result = await get(`/sharded-delivery?positions=${positions === 'on' ? 1 : 0}&n=${SHARDED_DELIVERIES}`);
        if (result.recordedShards !== (positions === 'on' ? 2 : 0))
          throw new Error(`sharded delivery recorded ${result.recordedShards} shard positions (${positions})`);
        delivery[positions].push((result.delivered / result.ms) * 1000);
      }
    }
    figures.sharded_delivery_events_per_s_positions_on = round(median(delivery.on));
    figures.sharded_delivery_events_per_s_positions_off = round(median(delivery.off));
    figures.sharded_delivery_ratio_positions_on_over_off = round(
      median(delivery.on.map((value, i) => value / delivery.off[i])),
      3,
    );
    return figures;
  } finally {
    await worker.dispose();
    rmSync(persist, { recursive: true, force: true });
  }
}

function round(value, digits = 0) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

// `npm run bench -- runtime projections …` runs only the named parts; no names runs them all.
const only = new Set(process.argv.slice(2));
const wanted = (name) => only.size === 0 || only.has(name);

const started = Date.now();
const figures = wanted('runtime') ? await runtimeBenchmark() : null;
if (figures) {
  mergeResults(figures);
  console.log('\nESCF runtime (local workerd; ratios compare runs inside this one process)');
  console.table({
    'sequential, 1 aggregate': {
      raw: figures.commands_per_s_raw_sequential,
      escf: figures.commands_per_s_escf_sequential,
      ratio: figures.commands_ratio_sequential,
    },
    'sequential, outbox held back': {
      raw: figures.commands_per_s_raw_sequential,
      escf: null,
      ratio: figures.commands_ratio_sequential_outbox_held,
    },
    'concurrent, 16 aggregates': {
      raw: figures.commands_per_s_raw_concurrent,
      escf: figures.commands_per_s_escf_concurrent,
      ratio: figures.commands_ratio_concurrent,
    },
  });
  console.table({
    'command metrics on ÷ off (commands/s, sequential)': figures.metrics_overhead_ratio,
    'outbox drain into D1 (events/s)': figures.outbox_events_per_s,
    'D1 rows written per event (alarm drain)': figures.d1_rows_written_per_event,
    'D1 rows written per event (drain after every command, as executeSync)':
      figures.d1_rows_written_per_event_per_command_drain,
  });
  console.log(`runtime benchmark took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (wanted('sharded')) {
  const shardedStarted = Date.now();
  const sharded = await shardedBenchmark();
  mergeResults(sharded);
  console.log('\nSharded D1 event store (local workerd; same drain and rebuild over 1, 2 and 4 shard databases)');
  console.table(sharded);
  console.log(`sharded benchmark took ${((Date.now() - shardedStarted) / 1000).toFixed(1)} s`);
}

// Other benchmarks in this folder merge their own figures.
if (wanted('rehydrate') && existsSync(join(here, 'rehydrate.mjs'))) await import('./rehydrate.mjs');
if (wanted('projections') && existsSync(join(here, 'projections.mjs'))) await import('./projections.mjs');
if (wanted('bundle-size') && existsSync(join(here, 'bundle-size.mjs'))) await import('./bundle-size.mjs');
if (wanted('archive') && existsSync(join(here, 'archive.mjs'))) await import('./archive.mjs');
if (wanted('console') && existsSync(join(here, 'console.mjs'))) await import('./console.mjs');
if (wanted('pack-size') && existsSync(join(here, 'pack-size.mjs'))) await import('./pack-size.mjs');
if (wanted('scaffold') && existsSync(join(here, 'scaffold.mjs'))) await import('./scaffold.mjs');
if (wanted('system') && existsSync(join(here, 'system.mjs'))) await import('./system.mjs');
if (wanted('cost-model') && existsSync(join(here, 'cost-model.mjs'))) (await import('./cost-model.mjs')).main();
if (wanted('tracing') && existsSync(join(here, 'tracing.mjs'))) await import('./tracing.mjs');
if (wanted('routing') && existsSync(join(here, 'routing.mjs'))) await import('./routing.mjs');
if (wanted('signin') && existsSync(join(here, 'signin-timing.mjs'))) await import('./signin-timing.mjs');
