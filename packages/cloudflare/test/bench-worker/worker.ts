// The runtime benchmark's worker (run by bench/run.mjs in local workerd):
// ESCF's aggregate host vs a hand-written Durable Object doing the same work.
import { DurableObject } from 'cloudflare:workers';
import { aggregateClients, durableObjectFor, type OutboxReport } from '../../src/index.js';
import { applyD1EventStoreSchema } from '../../src/internal.js';
import { Counter } from './counter.js';
import { type ShardCount, shardedDelivery, shardedDrain, shardedRebuild } from './sharded.js';

export { ShardDrain1, ShardDrain2, ShardDrain4 } from './sharded.js';

/** ESCF with default options: commit in DO SQLite, outbox drained to D1 by the alarm. */
export const EscfCounter = durableObjectFor(Counter);
/** Same, but the outbox waits an hour: the drain benchmark flushes it by hand. */
export const DrainCounter = durableObjectFor(Counter, { outbox: { delayMs: 3_600_000 } });

/** Same as EscfCounter with command metrics switched off: the other half of `metrics_overhead_ratio`. */
export const NoMetricsCounter = durableObjectFor(Counter, { metrics: { enabled: false } });

/** The baseline: read state, insert event, upsert state in one transactionSync. */
export class RawCounter extends DurableObject<unknown> {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    ctx.storage.sql.exec(`
      CREATE TABLE IF NOT EXISTS events (version INTEGER PRIMARY KEY, id TEXT NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL, timestamp INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS state (id INTEGER PRIMARY KEY, version INTEGER NOT NULL, state TEXT NOT NULL);
    `);
  }

  async increment(by: number): Promise<{ version: number; count: number }> {
    const sql = this.ctx.storage.sql;
    return this.ctx.storage.transactionSync(() => {
      const row = sql
        .exec<{ version: number; state: string }>('SELECT version, state FROM state WHERE id = 1')
        .toArray()[0];
      const version = (row?.version ?? 0) + 1;
      const count = (row ? (JSON.parse(row.state) as { count: number }).count : 0) + by;
      sql.exec(
        'INSERT INTO events (version, id, type, payload, timestamp) VALUES (?, ?, ?, ?, ?)',
        version,
        crypto.randomUUID(),
        'Incremented',
        JSON.stringify({ by }),
        Date.now(),
      );
      sql.exec(
        'INSERT OR REPLACE INTO state (id, version, state) VALUES (1, ?, ?)',
        version,
        JSON.stringify({ count }),
      );
      return { version, count };
    });
  }
}

interface Env {
  ESCF: DurableObjectNamespace;
  DRAIN: DurableObjectNamespace;
  NO_METRICS: DurableObjectNamespace;
  RAW: DurableObjectNamespace<RawCounter>;
  ESCF_EVENTS: D1Database;
}

const clients = aggregateClients({
  escf: { aggregate: Counter, binding: 'ESCF' },
  drain: { aggregate: Counter, binding: 'DRAIN' },
  noMetrics: { aggregate: Counter, binding: 'NO_METRICS' },
});

let schemaReady: Promise<void> | null = null;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    schemaReady ??= applyD1EventStoreSchema(env.ESCF_EVENTS);
    await schemaReady;
    const url = new URL(request.url);
    const n = Number(url.searchParams.get('n') ?? '1000');
    const run = `${url.searchParams.get('run') ?? 'r'}-${crypto.randomUUID()}`;

    if (url.pathname === '/commands') {
      const kind = url.searchParams.get('kind');
      const objects = Number(url.searchParams.get('objects') ?? '1');
      const increment =
        kind === 'raw'
          ? (id: string) => {
              const stub = env.RAW.get(env.RAW.idFromName(id));
              return () => stub.increment(1);
            }
          : (id: string) => {
              // kind=escf-held: the outbox drains later (isolates the cost of draining).
              const counter = kind === 'escf-held' ? clients(env).drain(id) : clients(env).escf(id);
              return () => counter.increment({ by: 1 });
            };
      const callers = Array.from({ length: objects }, (_, i) => increment(`${run}-${i}`));
      await Promise.all(callers.map((call) => call())); // instantiate the objects before timing
      const perCaller = Math.floor(n / objects);
      const started = performance.now();
      await Promise.all(
        callers.map(async (call) => {
          for (let i = 0; i < perCaller; i++) await call();
        }),
      );
      const ms = performance.now() - started;
      return Response.json({ commands: perCaller * objects, ms });
    }

    if (url.pathname === '/metrics-overhead') {
      // Command metrics on vs off, finely interleaved in one request (blocks of 50 commands, ABBA order)
      // so that load swings on a shared machine hit both alike. Each object's alarm (outbox drain, and
      // for `on` the metrics write at most once per interval) runs between its commands, so it is timed too.
      const on = clients(env).escf(`${run}-on`);
      const off = clients(env).noMetrics(`${run}-off`);
      await on.increment({ by: 1 });
      await off.increment({ by: 1 });
      const ms = { on: 0, off: 0 };
      const block = 50;
      const time = async (kind: 'on' | 'off') => {
        const counter = kind === 'on' ? on : off;
        const started = performance.now();
        for (let i = 0; i < block; i++) await counter.increment({ by: 1 });
        const elapsed = performance.now() - started;
        ms[kind] += elapsed;
        return elapsed;
      };
      // Each ABBA pair gives one ratio (off time ÷ on time = on commands/s ÷ off commands/s);
      // their median resists the load spikes that a sum over the whole run would absorb.
      const pairRatios: number[] = [];
      const pairs = Math.max(1, Math.floor(n / (2 * block)));
      for (let i = 0; i < pairs; i++) {
        const onFirst = i % 2 === 0;
        const first = await time(onFirst ? 'on' : 'off');
        const second = await time(onFirst ? 'off' : 'on');
        pairRatios.push(onFirst ? second / first : first / second);
      }
      pairRatios.sort((a, b) => a - b);
      const medianRatio = pairRatios[Math.floor(pairRatios.length / 2)];
      return Response.json({ commandsEach: pairs * block, onMs: ms.on, offMs: ms.off, medianRatio });
    }

    if (url.pathname === '/drain') {
      // Commit n commands with the outbox held back, then time draining them into D1.
      const counter = clients(env).drain(run);
      for (let i = 0; i < n; i++) await counter.increment({ by: 1 });
      const stub = env.DRAIN.get(env.DRAIN.idFromName(run)) as unknown as { flushOutbox(): Promise<OutboxReport> };
      const started = performance.now();
      const report = await stub.flushOutbox();
      const ms = performance.now() - started;
      return Response.json({ ...report, ms });
    }

    if (url.pathname === '/sharded-drain' || url.pathname === '/sharded-rebuild') {
      const shards = Number(url.searchParams.get('shards')) as ShardCount;
      const bindings = env as unknown as Record<string, unknown>;
      if (url.pathname === '/sharded-rebuild') return Response.json(await shardedRebuild(bindings, shards));
      const aggregates = Number(url.searchParams.get('aggregates') ?? '16');
      return Response.json(await shardedDrain(bindings, shards, aggregates, n, run));
    }

    if (url.pathname === '/sharded-delivery') {
      const bindings = env as unknown as Record<string, unknown>;
      return Response.json(await shardedDelivery(bindings, url.searchParams.get('positions') === '1', n));
    }

    if (url.pathname === '/drain-per-command') {
      // What executeSync does: drain right after each command (one-event batches).
      const counter = clients(env).drain(run);
      const stub = env.DRAIN.get(env.DRAIN.idFromName(run)) as unknown as { flushOutbox(): Promise<OutboxReport> };
      let rows = 0;
      let events = 0;
      for (let i = 0; i < n; i++) {
        await counter.increment({ by: 1 });
        const report = await stub.flushOutbox();
        rows += report.d1RowsWritten;
        events += report.storedInD1;
      }
      return Response.json({ d1RowsWritten: rows, storedInD1: events });
    }
    return new Response('not found', { status: 404 });
  },
} satisfies ExportedHandler<Env>;
