// Archive benchmark worker: seeds a D1 event table, measures its size,
// archives it to R2, and times whole-log reads (a projection rebuild's read
// path) from D1 and from the archive.
import { defineEvent, type EventEnvelope, EventHandler, Projection } from '@escf/core';
import { describeProjection, newId } from '@escf/core/internal';
import { retention } from '@escf/core/retention';
import type { EventStore } from '@escf/core/store';
import { z } from 'zod';
import { ArchivingEventStore, EventArchiver, runArchiveBatches } from '../../../src/archive/index.js';
import { D1EventStore } from '../../../src/index.js';
import { applyD1EventStoreSchema } from '../../../src/internal.js';
import { ProjectionRebuild } from '../../../src/projection/projection-rebuild.js';

interface Env {
  ESCF_EVENTS: D1Database;
  ESCF_ARCHIVE: R2Bucket;
  LINES_DB: D1Database;
}

const OrderLineAdded = defineEvent(
  'OrderLineAdded',
  z.object({ sku: z.string(), quantity: z.number(), unitPriceCents: z.number(), note: z.string() }),
);

/** A projection over the bench log: quantity per order, one upsert per event. */
@Projection('order-lines')
class OrderLines {
  constructor(private readonly env: Env) {}

  @EventHandler(OrderLineAdded)
  onLine(e: EventEnvelope) {
    return this.env.LINES_DB.prepare(
      'INSERT INTO order_lines (id, quantity) VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET quantity = quantity + ?2',
    ).bind(e.aggregateId, (e.payload as { quantity: number }).quantity);
  }

  resetReadModel() {
    return this.env.LINES_DB.prepare('DELETE FROM order_lines');
  }
}

/** Rebuilds OrderLines from `store` step by step (as its queue would) and times it. */
async function rebuildProjection(
  env: Env,
  store: EventStore,
): Promise<{ events: number; quantity: number; ms: number }> {
  await env.LINES_DB.prepare(
    'CREATE TABLE IF NOT EXISTS order_lines (id TEXT PRIMARY KEY, quantity INTEGER NOT NULL)',
  ).run();
  const rebuild = new ProjectionRebuild(
    describeProjection(OrderLines),
    new OrderLines(env),
    env.LINES_DB,
    store,
    2_000,
    async () => null,
  );
  const started = Date.now();
  await rebuild.start();
  for (let steps = 0; (await rebuild.step()).more && steps < 1_000; steps++);
  const ms = Date.now() - started;
  const status = await rebuild.status();
  const row = await env.LINES_DB.prepare('SELECT SUM(quantity) AS quantity FROM order_lines').first<{
    quantity: number;
  }>();
  return { events: status!.applied, quantity: row!.quantity, ms };
}

const json = (value: unknown) => Response.json(value);

/** A realistic event: an order line with a few fields and a short note. */
function event(aggregateId: string, version: number): EventEnvelope {
  return {
    id: newId(),
    aggregateType: 'Order',
    aggregateId,
    version,
    type: 'OrderLineAdded',
    schemaVersion: 1,
    payload: {
      sku: `SKU-${(version * 7919) % 10_000}`,
      quantity: (version % 5) + 1,
      unitPriceCents: 1999 + (version % 100),
      note: `line ${version} added by checkout`,
    },
    timestamp: Date.now() - 90 * 86_400_000 + version,
    metadata: { correlationId: newId(), causationId: newId(), userId: 'user-42' },
  };
}

async function dbSize(db: D1Database): Promise<number> {
  return (await db.prepare('SELECT 1').run()).meta.size_after ?? 0;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const table = url.searchParams.get('table') ?? 'bench_events';
    if (url.pathname === '/seed') {
      const streams = Number(url.searchParams.get('streams') ?? 100);
      const perStream = Number(url.searchParams.get('events') ?? 100);
      await applyD1EventStoreSchema(env.ESCF_EVENTS, table);
      const before = await dbSize(env.ESCF_EVENTS);
      const store = new D1EventStore(env.ESCF_EVENTS, { table });
      // One row per event, as when every command is drained on its own (executeSync).
      for (let version = 1; version <= perStream; version++) {
        await Promise.all(
          Array.from({ length: streams }, (_, s) =>
            store.append({ aggregateType: 'Order', aggregateId: `order-${s}` }, [event(`order-${s}`, version)], {
              expectedVersion: version - 1,
            }),
          ),
        );
      }
      const after = await dbSize(env.ESCF_EVENTS);
      const stored = await env.ESCF_EVENTS.prepare(
        `SELECT SUM(length(events)) AS bytes, SUM(event_count) AS events FROM ${table}`,
      ).first<{ bytes: number; events: number }>();
      return json({ events: stored!.events, dbBytes: after - before, jsonBytes: stored!.bytes });
    }
    if (url.pathname === '/archive') {
      const archiver = new EventArchiver(env.ESCF_EVENTS, env.ESCF_ARCHIVE, {
        table,
        retention: { default: retention.keepLastEvents(0) },
      });
      const started = Date.now();
      const report = await runArchiveBatches(archiver, { maxRuns: 1_000, timeBudgetMs: 600_000 });
      return json({ ...report, ms: Date.now() - started });
    }
    if (url.pathname === '/rebuild-projection') {
      const store =
        url.searchParams.get('from') === 'archive'
          ? new ArchivingEventStore(env.ESCF_EVENTS, env.ESCF_ARCHIVE, { table, cacheSegments: 2 })
          : new D1EventStore(env.ESCF_EVENTS, { table });
      return json(await rebuildProjection(env, store));
    }
    if (url.pathname === '/rebuild') {
      // Read the whole log in pages of 500 and fold it, as a projection rebuild does.
      const store = new ArchivingEventStore(env.ESCF_EVENTS, env.ESCF_ARCHIVE, { table, cacheSegments: 2 });
      const started = Date.now();
      let events = 0;
      let quantity = 0;
      for (let after = 0; ; ) {
        const page = await store.readAll({ after, limit: 500 });
        if (page.length === 0) break;
        for (const e of page) quantity += (e.payload as { quantity: number }).quantity;
        events += page.length;
        after = page.at(-1)!.position!;
      }
      return json({ events, quantity, ms: Date.now() - started });
    }
    return new Response('not found', { status: 404 });
  },
};
