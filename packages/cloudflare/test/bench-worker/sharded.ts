// The sharded event store benchmark (bench/run.mjs `sharded`): the same
// drain and rebuild over 1, 2 and 4 D1 shard databases, in one run.
import { type Envelope, type EventEnvelope, EventHandler, Projection } from '@escf/core';
import { describeProjection } from '@escf/core/internal';
import type { EventStore } from '@escf/core/store';
import { aggregateClients, durableObjectFor, type OutboxReport, ShardedD1EventStore } from '../../src/index.js';
import { applyD1EventStoreSchema } from '../../src/internal.js';
import { ProjectionApplier } from '../../src/projection/projection-applier.js';
import { deliverAll } from '../../src/projection/projection-deliveries.js';
import { ProjectionRebuild } from '../../src/projection/projection-rebuild.js';
import { Counter, Incremented } from './counter.js';

/** Bindings of each layout: its own databases, so the runs do not share a log. */
export const SHARD_BINDINGS = {
  1: ['S1_0'],
  2: ['S2_0', 'S2_1'],
  4: ['S4_0', 'S4_1', 'S4_2', 'S4_3'],
} as const;
export type ShardCount = keyof typeof SHARD_BINDINGS;

// One event per D1 append (batchSize 1) and the outbox held until flushed: the drain measures D1 appends.
const held = { delayMs: 3_600_000, batchSize: 1 };
export const ShardDrain1 = durableObjectFor(Counter, { outbox: held, eventStore: { shards: SHARD_BINDINGS[1] } });
export const ShardDrain2 = durableObjectFor(Counter, { outbox: held, eventStore: { shards: SHARD_BINDINGS[2] } });
export const ShardDrain4 = durableObjectFor(Counter, { outbox: held, eventStore: { shards: SHARD_BINDINGS[4] } });

const clients = aggregateClients({
  1: { aggregate: Counter, binding: 'SHARD_DRAIN_1' },
  2: { aggregate: Counter, binding: 'SHARD_DRAIN_2' },
  4: { aggregate: Counter, binding: 'SHARD_DRAIN_4' },
});

/** A read model per counter, rebuilt from the sharded log. */
@Projection('bench-totals')
export class Totals {
  constructor(private readonly db: D1Database) {}

  @EventHandler(Incremented)
  onIncremented(e: Envelope<Incremented>) {
    return this.db
      .prepare(
        'INSERT INTO bench_totals (id, total) VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET total = total + excluded.total',
      )
      .bind(e.aggregateId, e.payload.by);
  }

  resetReadModel() {
    return this.db.prepare('DELETE FROM bench_totals');
  }
}

type Env = Record<string, unknown>;
const databases = (env: Env, shards: ShardCount) => SHARD_BINDINGS[shards].map((binding) => env[binding] as D1Database);

/**
 * `/sharded-drain?shards=N&aggregates=K&n=M`: K aggregates commit M events each
 * with the outbox held, then all drain at once (one D1 append per event).
 */
export async function shardedDrain(env: Env, shards: ShardCount, aggregates: number, n: number, run: string) {
  await Promise.all(databases(env, shards).map((db) => applyD1EventStoreSchema(db)));
  const ids = Array.from({ length: aggregates }, (_, i) => `${run}-${i}`);
  await Promise.all(
    ids.map(async (id) => {
      const counter = clients(env)[shards](id);
      for (let i = 0; i < n; i++) await counter.increment({ by: 1 });
    }),
  );
  const namespace = env[`SHARD_DRAIN_${shards}`] as DurableObjectNamespace;
  const started = performance.now();
  const reports = await Promise.all(
    ids.map((id) =>
      (namespace.get(namespace.idFromName(id)) as unknown as { flushOutbox(): Promise<OutboxReport> }).flushOutbox(),
    ),
  );
  const ms = performance.now() - started;
  const stored = reports.reduce((sum, r) => sum + r.storedInD1, 0);
  const failures = reports.flatMap((r) => r.failures);
  const perShard = await Promise.all(
    databases(env, shards).map(
      async (db) => (await db.prepare('SELECT COUNT(*) AS n FROM escf_events').first<{ n: number }>())!.n,
    ),
  );
  return { stored, ms, failures, perShard };
}

/** `/sharded-rebuild?shards=N`: rebuilds the totals read model from that layout's log, to the end. */
export async function shardedRebuild(env: Env, shards: ShardCount) {
  const db = env.BENCH_TOTALS_DB as D1Database;
  await db.prepare('CREATE TABLE IF NOT EXISTS bench_totals (id TEXT PRIMARY KEY, total INTEGER NOT NULL)').run();
  const store = new ShardedD1EventStore(databases(env, shards));
  const totals = new Totals(db);
  const rebuild = new ProjectionRebuild(describeProjection(Totals), totals, db, store, 500, async () => null);
  await rebuild.start();
  const started = performance.now();
  for (;;) {
    const { more } = await rebuild.step();
    if (!more) break;
  }
  const ms = performance.now() - started;
  const status = await rebuild.status();
  return { applied: status?.applied ?? 0, status: status?.status, ms };
}

/**
 * `/sharded-delivery?positions=1|0&n=N`: live delivery as the outbox makes it
 * (one event per call, each its stream's next version) of the first N events
 * of the 2-shard layout's log, to a projection over that store: with
 * `positions=1` each batch also records the shard's applied position (what
 * the admin counts lag from); with `positions=0` the same store is handed
 * over without `shardOf`, so nothing is recorded. Starts from empty
 * checkpoints each time.
 */
export async function shardedDelivery(env: Env, positions: boolean, n: number) {
  const db = env.BENCH_TOTALS_DB as D1Database;
  await db.prepare('CREATE TABLE IF NOT EXISTS bench_totals (id TEXT PRIMARY KEY, total INTEGER NOT NULL)').run();
  const sharded = new ShardedD1EventStore(databases(env, 2));
  const store: EventStore = positions
    ? sharded
    : {
        append: (stream, events, options) => sharded.append(stream, events, options),
        readStream: (stream, options) => sharded.readStream(stream, options),
        readAll: (options) => sharded.readAll(options),
      };
  const events: EventEnvelope[] = (
    await Promise.all([0, 1].map((shard) => sharded.readShard(shard, { after: 0, limit: Math.ceil(n / 2) })))
  ).flat();
  const descriptor = describeProjection(Totals);
  const totals = new Totals(db);
  const applier = new ProjectionApplier(descriptor, totals, db, store);
  await db.batch([
    db.prepare('DELETE FROM bench_totals'),
    db.prepare('DELETE FROM escf_projection_streams WHERE projection = ?1').bind(descriptor.name),
    db.prepare('DELETE FROM escf_projection_shard_positions WHERE projection = ?1').bind(descriptor.name),
  ]);
  const started = performance.now();
  for (const event of events) await deliverAll(descriptor, applier, db, [event]);
  const ms = performance.now() - started;
  const recorded = await db
    .prepare('SELECT COUNT(*) AS n FROM escf_projection_shard_positions WHERE projection = ?1')
    .bind(descriptor.name)
    .first<{ n: number }>();
  return { delivered: events.length, ms, recordedShards: recorded!.n };
}
