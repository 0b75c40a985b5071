// The capacity and cost model of docs/operating-at-scale.md, from its inputs:
// `node bench/cost-model.mjs` prints the tables (markdown) and merges the
// headline figures into bench/results.json (keys model_*). Every input is
// either a Cloudflare list price or limit (cited in the docs page) or an
// assumption about the workload, named as such below; change one and rerun.
import { mergeResults } from './results.mjs';

export const inputs = {
  // Cloudflare list prices, Workers Paid, beyond the monthly inclusions (USD).
  price: {
    workerRequestPerM: 0.3, // Workers: requests
    workerCpuMsPerM: 0.02, // Workers: CPU time, per million CPU-ms
    doRequestPerM: 0.15, // Durable Objects: requests (each RPC call, each alarm)
    doGbSecondPerM: 12.5, // Durable Objects: duration, per million GB-s (128 MB per object)
    sqlRowWrittenPerM: 1.0, // D1 and SQLite-backed Durable Objects: rows written
    sqlRowReadPerM: 0.001, // D1 and SQLite-backed Durable Objects: rows read
    queueOperationPerM: 0.4, // Queues: per 64 KB written, read or deleted
  },
  // Platform limits that bound throughput.
  limit: {
    queueMessagesPerS: 5_000, // per queue
    doGb: 0.125, // memory billed per Durable Object (128 MB)
  },
  // Assumptions about one command (the users example's PATCH: one event, executeSync,
  // two synchronous projections, one queue-fed process). Measured locally where noted.
  workload: {
    d1QueryMs: 1, // average D1 query time; D1's FAQ: ~1,000 queries/s at 1 ms (single-threaded per database)
    eventsPerCommand: 1,
    eventsPerAppend: 1, // one-event commands drained alone (executeSync); an alarm backlog gives hundreds
    d1RowsPerAppend: 2, // the batch's row + its stream index entry (measured: bench d1_rows_written_per_event_per_command_drain)
    projections: 2, // synchronous (service) projections
    projectionRowsPerEvent: 2, // checkpoint row + one read-model row (more with indexes)
    queueSubscribers: 1, // queue-fed processes/projections: one message per event each
    doRowsWrittenEscf: 6, // event + snapshot + outbox cursors (D1 + 2 services + 1 queue) + idempotency key
    doRowsWrittenRaw: 2, // a hand-written object: insert event + upsert state
    doWallMsEscf: 40, // object busy per command incl. waiting for D1 + projections (executeSync)
    doWallMsRaw: 5,
    cpuMsEscf: 4, // API worker + two projections + process, per command
    cpuMsRaw: 1.5,
    projectionEventsPerBatch: 100, // a queue delivery of 100 events applies in one D1 batch
    projectionBatchMs: 10, // one D1 batch of ~100 statements
  },
};

/** Events per second one event-store database sustains (one shard). */
export function eventsPerSecondPerShard({ workload }) {
  const appendsPerS = 1_000 / workload.d1QueryMs;
  return appendsPerS * workload.eventsPerAppend;
}

/** Per million commands, by line, for ESCF and for a hand-written Worker + Durable Object. */
export function costPerMillionCommands({ price, limit, workload }) {
  const e = workload.eventsPerCommand;
  const escf = {
    'Worker requests (API)': price.workerRequestPerM,
    'Worker CPU': workload.cpuMsEscf * price.workerCpuMsPerM,
    'DO requests (RPC + alarm)': 2 * price.doRequestPerM,
    'DO duration': (workload.doWallMsEscf / 1_000) * limit.doGb * price.doGbSecondPerM,
    'DO rows written': workload.doRowsWrittenEscf * price.sqlRowWrittenPerM,
    'D1 event store rows written': (e / workload.eventsPerAppend) * workload.d1RowsPerAppend * price.sqlRowWrittenPerM,
    'D1 projection rows written': e * workload.projections * workload.projectionRowsPerEvent * price.sqlRowWrittenPerM,
    'Queue operations (write + read + delete)': e * workload.queueSubscribers * 3 * price.queueOperationPerM,
  };
  const raw = {
    'Worker requests (API)': price.workerRequestPerM,
    'Worker CPU': workload.cpuMsRaw * price.workerCpuMsPerM,
    'DO requests (RPC + alarm)': price.doRequestPerM,
    'DO duration': (workload.doWallMsRaw / 1_000) * limit.doGb * price.doGbSecondPerM,
    'DO rows written': workload.doRowsWrittenRaw * price.sqlRowWrittenPerM,
    'D1 event store rows written': 0,
    'D1 projection rows written': 0,
    'Queue operations (write + read + delete)': 0,
  };
  const sum = (lines) => Object.values(lines).reduce((a, b) => a + b, 0);
  return { escf, raw, escfTotal: sum(escf), rawTotal: sum(raw) };
}

/** Ceiling with N event-store databases (ShardedD1EventStore shards), and what limits it next. */
export function ceilings(model, shardCounts = [1, 2, 4, 8, 16]) {
  const perShard = eventsPerSecondPerShard(model);
  const { workload, limit } = model;
  const projectionDbEventsPerS = (1_000 / workload.projectionBatchMs) * workload.projectionEventsPerBatch;
  return shardCounts.map((shards) => {
    const store = shards * perShard;
    const candidates = {
      'event store (D1 appends)': store,
      'one queue (5,000 messages/s)': workload.queueSubscribers > 0 ? limit.queueMessagesPerS : Infinity,
      "one projection's D1 (batched apply)": projectionDbEventsPerS,
    };
    const [bottleneck, eventsPerS] = Object.entries(candidates).sort((a, b) => a[1] - b[1])[0];
    return { shards, storeEventsPerS: store, eventsPerS, bottleneck };
  });
}

const fmt = (n, digits = 2) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Prints the tables and merges the model_* figures. */
export function main(model = inputs) {
  const cost = costPerMillionCommands(model);
  const rows = ceilings(model);
  console.log('| line (USD per million commands) | ESCF | hand-written Worker + DO |\n|---|---:|---:|');
  for (const line of Object.keys(cost.escf))
    console.log(`| ${line} | ${fmt(cost.escf[line], 3)} | ${fmt(cost.raw[line], 3)} |`);
  console.log(`| **total** | **${fmt(cost.escfTotal)}** | **${fmt(cost.rawTotal)}** |\n`);
  console.log(
    '| event-store databases | store ceiling (events/s) | system ceiling (events/s) | limited by |\n|---:|---:|---:|---|',
  );
  for (const r of rows)
    console.log(`| ${r.shards} | ${fmt(r.storeEventsPerS, 0)} | ${fmt(r.eventsPerS, 0)} | ${r.bottleneck} |`);
  mergeResults({
    model_events_per_s_per_shard: eventsPerSecondPerShard(model),
    model_cost_per_million_commands_escf_usd: Math.round(cost.escfTotal * 100) / 100,
    model_cost_per_million_commands_raw_usd: Math.round(cost.rawTotal * 100) / 100,
    model_cost_ratio_escf_over_raw: Math.round((cost.escfTotal / cost.rawTotal) * 100) / 100,
    // Sharded event store: the store's ceiling and the system's (next bottleneck) with 4 shards.
    model_store_events_per_s_4_shards: rows.find((r) => r.shards === 4).storeEventsPerS,
    model_system_events_per_s_4_shards: rows.find((r) => r.shards === 4).eventsPerS,
  });
}

if (import.meta.url === `file://${process.argv[1]}`) main();
