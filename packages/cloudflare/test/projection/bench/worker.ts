// Benchmark worker (bench/projections.mjs): projection lag from commit to
// read model via the queue and via direct RPC delivery, and rebuild speed.
import { type Envelope, EventHandler, Projection } from '@escf/core';
import { newId } from '@escf/core/internal';
import { aggregateClients, D1EventStore, durableObjectFor, projectionEntrypoint } from '../../../src/index.js';
import { applyD1EventStoreSchema } from '../../../src/internal.js';
import { Counted, Counter } from '../counter-domain.js';

interface Env {
  COUNTER_AGGREGATE: DurableObjectNamespace;
  SYNC_COUNTER_AGGREGATE: DurableObjectNamespace;
  ESCF_EVENTS: D1Database;
  PROBE_DB: D1Database;
  PROBE: Service;
}

/** Records, per counter, when its last event was committed and when it was applied. */
@Projection('probe')
export class Probe {
  constructor(private readonly env: Env) {}

  @EventHandler(Counted)
  onCounted(e: Envelope<{ by: number }>) {
    return this.env.PROBE_DB.prepare(
      'INSERT INTO probe (id, committed_at, applied_at, total) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO UPDATE SET committed_at = ?2, applied_at = ?3, total = total + ?4',
    ).bind(e.aggregateId, e.timestamp, Date.now(), e.payload.by);
  }

  resetReadModel() {
    return this.env.PROBE_DB.prepare('DELETE FROM probe');
  }
}

export const CounterAggregate = durableObjectFor(Counter, { queues: ['PROBE_QUEUE'] });
export const SyncCounterAggregate = durableObjectFor(Counter, { services: ['PROBE'] });
const ProbeProjection = projectionEntrypoint(Probe, { rebuildBatchSize: 2000 });
const clients = aggregateClients({
  counter: { aggregate: Counter, binding: 'COUNTER_AGGREGATE' },
  syncCounter: { aggregate: Counter, binding: 'SYNC_COUNTER_AGGREGATE' },
});

export default class BenchEntrypoint extends ProbeProjection {
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const env = this.env as Env;
    await applyD1EventStoreSchema(env.ESCF_EVENTS);
    await env.PROBE_DB.prepare(
      'CREATE TABLE IF NOT EXISTS probe (id TEXT PRIMARY KEY, committed_at INTEGER, applied_at INTEGER, total INTEGER NOT NULL)',
    ).run();
    const n = Number(url.searchParams.get('n') ?? 100);
    const run = url.searchParams.get('run') ?? newId();
    switch (url.pathname) {
      case '/lag': {
        // One command per fresh counter; the probe row says when it was applied.
        const sync = url.searchParams.get('via') === 'direct';
        const ids = Array.from({ length: n }, (_, i) => `${run}-${i}`);
        for (const id of ids) {
          if (sync) await clients(env, { sync: true }).syncCounter(id).count({ by: 1 });
          else await clients(env).counter(id).count({ by: 1 });
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        return Response.json({ ids: ids.length });
      }
      case '/lags': {
        const { results } = await env.PROBE_DB.prepare(
          'SELECT applied_at - committed_at AS lag FROM probe WHERE id LIKE ?',
        )
          .bind(`${run}-%`)
          .all<{ lag: number }>();
        return Response.json(results.map((r) => r.lag));
      }
      case '/seed': {
        // Events straight into the log, in streams of 10, for the rebuild benchmark.
        const store = new D1EventStore(env.ESCF_EVENTS);
        for (let s = 0; s < n / 10; s++) {
          const aggregateId = `${run}-seed-${s}`;
          const events = Array.from({ length: 10 }, (_, i) => {
            const id = newId();
            return {
              id,
              aggregateType: 'Counter',
              aggregateId,
              version: i + 1,
              type: 'Counted',
              schemaVersion: 2,
              payload: { by: 1 },
              timestamp: Date.now(),
              metadata: { correlationId: id, causationId: id },
            };
          });
          await store.append({ aggregateType: 'Counter', aggregateId }, events, { expectedVersion: 0 });
        }
        return Response.json({ seeded: n });
      }
      case '/burst': {
        // n concurrent executeSync commands on ONE aggregate: each answers once its own version is delivered.
        const sync = url.searchParams.get('via') !== 'async';
        const counter = sync
          ? clients(env, { sync: true }).syncCounter(`${run}-hot`)
          : clients(env).syncCounter(`${run}-hot`);
        await counter.count({ by: 1 }); // the object exists and is warm
        const started = Date.now();
        const latencies = await Promise.all(
          Array.from({ length: n }, async () => {
            const sent = Date.now();
            await counter.count({ by: 1 });
            return Date.now() - sent;
          }),
        );
        return Response.json({ latencies, ms: Date.now() - started });
      }
      case '/read': {
        // The whole log read in pages, as a rebuild reads it, without applying: the ceiling a rebuild is compared with.
        const store = new D1EventStore(env.ESCF_EVENTS);
        const started = Date.now();
        let events = 0;
        for (let after = 0; ; ) {
          const page = await store.readAll({ after, limit: 500 });
          if (page.length === 0) break;
          events += page.length;
          after = page.at(-1)!.position!;
        }
        return Response.json({ events, ms: Date.now() - started });
      }
      case '/rebuild':
        return Response.json(await this.rebuild());
      case '/status':
        return Response.json(await this.status());
      default:
        return new Response('not found', { status: 404 });
    }
  }
}
