import { evictDurableObject } from 'cloudflare:test';
import { defineEvent, type Envelope, type EventEnvelope, EventHandler, type PayloadOf, Projection } from '@escf/core';
import { describeProjection } from '@escf/core/internal';
import { retention } from '@escf/core/retention';
import type { AppendOptions, EventStore, StreamId } from '@escf/core/store';
import { describeEventStoreConformance, makeEvents } from '@escf/testing/conformance';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  defaultArchivePrefix,
  durableObjectRetention,
  ShardedArchivingEventStore,
  ShardedEventArchiver,
  shardArchivePrefix,
} from '../../src/archive/index.js';
import { EventsTable } from '../../src/event-store/events-table.js';
import { shardIndex } from '../../src/event-store/shard-map.js';
import { aggregateClients, ShardedD1EventStore } from '../../src/index.js';
import { ProjectionRebuild } from '../../src/projection/projection-rebuild.js';
import { appendOneByOne, invalidateSnapshot, localEventCount, testEnv } from './helpers.js';
import { Ledger } from './ledger-domain.js';
import { SHARD_BINDINGS, SHARDED_TABLE } from './worker.js';

// Archiving and retention over an event store of two D1 databases, with one R2 bucket.
const databases = () => [testEnv.ESCF_EVENTS, testEnv.ESCF_EVENTS_1];

let tables = 0;
/** A fresh event table in both shard databases (storage is shared across the run). */
async function freshShardedTable(prefix = 'sh'): Promise<string> {
  tables += 1;
  const table = `${prefix}_${Date.now().toString(36)}_${tables}_${Math.random().toString(36).slice(2, 6)}`;
  await Promise.all(databases().map((db) => new EventsTable(db, table).create()));
  return table;
}

async function keysUnder(prefix: string): Promise<string[]> {
  const listing = await testEnv.ESCF_ARCHIVE.list({ prefix });
  return listing.objects.map((o) => o.key);
}

/** Every event of one shard, paging by that shard's positions (what a rebuild does per shard). */
async function readWholeShard(
  store: ShardedArchivingEventStore,
  shard: number,
  pageSize = 3,
): Promise<EventEnvelope[]> {
  const seen: EventEnvelope[] = [];
  for (let after = 0; ; ) {
    const page = await store.readShard(shard, { after, limit: pageSize });
    if (page.length === 0) return seen;
    seen.push(...page);
    after = page.at(-1)!.position!;
  }
}

/** Streams of one type whose hash spreads them over both shards. */
const streams: StreamId[] = Array.from({ length: 8 }, (_, i) => ({ aggregateType: 'Order', aggregateId: `o${i}` }));

/** A sharded archiving store that archives all it may after every append (most of each stream lives in R2). */
class ArchiveAfterEveryAppend implements EventStore {
  constructor(
    readonly store: ShardedArchivingEventStore,
    readonly archiver: ShardedEventArchiver,
  ) {}
  async append(stream: StreamId, events: readonly EventEnvelope[], options: AppendOptions) {
    const result = await this.store.append(stream, events, options);
    await this.archiver.run();
    return result;
  }
  readStream: EventStore['readStream'] = (stream, options) => this.store.readStream(stream, options);
  readAll: EventStore['readAll'] = (options) => this.store.readAll(options);
}

describeEventStoreConformance('ShardedArchivingEventStore (2 shards, archived after every append)', async () => {
  const table = await freshShardedTable('conf');
  return new ArchiveAfterEveryAppend(
    new ShardedArchivingEventStore(databases(), testEnv.ESCF_ARCHIVE, { table, maxEventsPerRow: 1 }),
    new ShardedEventArchiver(databases(), testEnv.ESCF_ARCHIVE, {
      table,
      retention: { default: retention.keepLastEvents(0) },
      maxEventsPerSegment: 2,
    }),
  );
});

/** The conformance events (`makeEvents`), as a projection reads them. */
const Tested = defineEvent('Tested', z.object({ n: z.number().int(), text: z.string() }));
type Tested = PayloadOf<typeof Tested>;

/** Per stream: how many events and the sum of their `n`, into a table of its own. */
@Projection('sharded-archive-sums')
class StreamSums {
  constructor(
    private readonly db: D1Database,
    private readonly table: string,
  ) {}

  @EventHandler(Tested)
  onTested(e: Envelope<Tested>) {
    return this.db
      .prepare(
        `INSERT INTO ${this.table} (id, events, total) VALUES (?1, 1, ?2)
         ON CONFLICT (id) DO UPDATE SET events = events + 1, total = total + excluded.total`,
      )
      .bind(e.aggregateId, e.payload.n);
  }

  resetReadModel() {
    return this.db.prepare(`DELETE FROM ${this.table}`);
  }
}

describe('archive per shard', () => {
  it('archives each shard under its own prefix; the reader merges every shard’s archive and D1', async () => {
    const table = await freshShardedTable();
    const prefix = defaultArchivePrefix(table);
    const writer = new ShardedD1EventStore(databases(), { table });
    const old = 1_700_000_000_000;
    for (const stream of streams) await appendOneByOne(writer, stream, 5, (v) => old + v);
    const holders = streams.map((stream) => shardIndex(stream, 2));
    expect(new Set(holders)).toEqual(new Set([0, 1]));
    const reader = new ShardedArchivingEventStore(databases(), testEnv.ESCF_ARCHIVE, { table });
    const shardsBefore = [await readWholeShard(reader, 0), await readWholeShard(reader, 1)];
    const streamsBefore = await Promise.all(streams.map((stream) => reader.readStream(stream)));
    // Positions overlap: both shards number their log from 1.
    expect(shardsBefore.map((events) => events[0]!.position)).toEqual([1, 1]);

    const archiver = new ShardedEventArchiver(databases(), testEnv.ESCF_ARCHIVE, {
      table,
      retention: { default: retention.keepLastEvents(2) },
    });
    const report = await archiver.run();
    const perShard = holders.map((shard) => holders.filter((h) => h === shard).length);
    expect(report.shards!.map((r) => r.events)).toEqual([0, 1].map((shard) => perShard[holders.indexOf(shard)]! * 3));
    expect(report.events).toBe(streams.length * 3);
    expect(report.status.d1.events).toBe(streams.length * 2);
    expect(report.status.shards!.map((s) => s.d1.events)).toEqual(report.shards!.map((r) => (r.events / 3) * 2));
    expect(report.status.d1.firstPosition).toBeNull(); // positions are per shard: see status.shards

    // Each shard's segments and manifest mirror under its own prefix.
    expect(shardArchivePrefix(0, prefix)).toBe(prefix);
    expect(shardArchivePrefix(1, prefix)).toBe(`${prefix}shard-1/`);
    const shard0 = await keysUnder(`${prefix}segments/`);
    const shard1 = await keysUnder(`${prefix}shard-1/segments/`);
    expect(shard0.length).toBeGreaterThan(0);
    expect(shard1.length).toBeGreaterThan(0);
    expect(report.segments).toBe(shard0.length + shard1.length);
    const mirror = async (p: string) =>
      JSON.parse(await (await testEnv.ESCF_ARCHIVE.get(`${p}manifest/Order.json`))!.text()) as {
        segments: { key: string }[];
      };
    expect((await mirror(prefix)).segments.map((s) => s.key).sort()).toEqual([...shard0].sort());
    expect((await mirror(`${prefix}shard-1/`)).segments.map((s) => s.key).sort()).toEqual([...shard1].sort());
    // A sweep of every shard keeps every committed segment: no shard takes another's for an orphan.
    expect(await archiver.sweepOrphans(0)).toEqual({ deleted: [] });
    expect((await keysUnder(prefix)).filter((key) => key.includes('/segments/'))).toHaveLength(report.segments);

    // D1 keeps each stream's last two events, in its own shard.
    for (const [index, stream] of streams.entries()) {
      const hot = await writer.shards[holders[index]!]!.readStream(stream);
      expect(hot.map((e) => e.version)).toEqual([4, 5]);
    }
    // The reader sees the same log: every shard from R2 then D1, and every stream whole.
    expect([await readWholeShard(reader, 0), await readWholeShard(reader, 1)]).toEqual(shardsBefore);
    expect(await Promise.all(streams.map((stream) => reader.readStream(stream)))).toEqual(streamsBefore);
    const merged: EventEnvelope[] = [];
    for (let after = 0; ; ) {
      const page = await reader.readAll({ after, limit: 5 });
      if (page.length === 0) break;
      merged.push(...page);
      after = page.at(-1)!.position!;
    }
    expect(merged).toHaveLength(streams.length * 5);

    // Another run finds nothing left; appends still guard each stream's head in its shard.
    expect((await archiver.run()).events).toBe(0);
    await expect(
      reader.append(streams[0]!, makeEvents(streams[0]!, 1, 1), { expectedVersion: 0 }),
    ).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT' });
    await reader.append(streams[0]!, makeEvents(streams[0]!, 6, 1), { expectedVersion: 5 });
    expect((await reader.readStream(streams[0]!)).map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rebuilds a projection from every shard’s R2 archive and D1, one cursor per shard', async () => {
    const table = await freshShardedTable('rebuild');
    const writer = new ShardedD1EventStore(databases(), { table });
    for (const stream of streams) await appendOneByOne(writer, stream, 6, (v) => 1_700_000_000_000 + v);
    const archiver = new ShardedEventArchiver(databases(), testEnv.ESCF_ARCHIVE, {
      table,
      retention: { default: retention.keepLastEvents(1) },
      maxEventsPerSegment: 4,
    });
    expect((await archiver.run()).events).toBe(streams.length * 5);

    const readModel = `${table}_sums`;
    await testEnv.ESCF_EVENTS.prepare(
      `CREATE TABLE ${readModel} (id TEXT PRIMARY KEY, events INTEGER NOT NULL, total INTEGER NOT NULL)`,
    ).run();
    const store = new ShardedArchivingEventStore(databases(), testEnv.ESCF_ARCHIVE, { table });
    const rebuild = new ProjectionRebuild(
      describeProjection(StreamSums),
      new StreamSums(testEnv.ESCF_EVENTS, readModel),
      testEnv.ESCF_EVENTS,
      store,
      4,
      async () => null,
    );
    await rebuild.start();
    for (let steps = 0; (await rebuild.step()).more; steps++) expect(steps).toBeLessThan(200);
    expect(await rebuild.status()).toMatchObject({ status: 'done', applied: streams.length * 6 });
    const { results } = await testEnv.ESCF_EVENTS.prepare(
      `SELECT id, events, total FROM ${readModel} ORDER BY id`,
    ).all();
    expect(results).toEqual(streams.map((s) => ({ id: s.aggregateId, events: 6, total: 1 + 2 + 3 + 4 + 5 + 6 })));
    // Each shard's applied position is recorded (the admin's lag per shard), archived events included.
    const heads = await Promise.all(databases().map((db) => new EventsTable(db, table).logHead()));
    const applied = await testEnv.ESCF_EVENTS.prepare(
      'SELECT shard, position FROM escf_projection_shard_positions WHERE projection = ?1 ORDER BY shard',
    )
      .bind('sharded-archive-sums')
      .all<{ shard: number; position: number }>();
    expect(applied.results).toEqual(heads.map((position, shard) => ({ shard, position })));
  });

  it('keepD1Bytes bounds each shard database on its own', async () => {
    const table = await freshShardedTable('bytes');
    const writer = new ShardedD1EventStore(databases(), { table });
    for (const stream of streams) await appendOneByOne(writer, stream, 4, (v) => 1_700_000_000_000 + v);
    const bytesOf = (shard: number) => new EventsTable(databases()[shard]!, table).eventBytes();
    const before = [await bytesOf(0), await bytesOf(1)];
    // A budget below each shard's size but above the sum of their heads.
    const budget = Math.floor(Math.min(...before) / 2);
    const archiver = new ShardedEventArchiver(databases(), testEnv.ESCF_ARCHIVE, {
      table,
      retention: { default: retention.keepD1Bytes(budget) },
    });
    const preview = await archiver.preview();
    expect(preview.shards!.every((p) => p.events > 0)).toBe(true);
    const report = await archiver.run();
    expect(report.shards!.every((r) => r.events > 0)).toBe(true);
    expect(report.events).toBe(preview.events);
    // Each shard is brought under the budget by itself, unless only its streams' newest batches (never archived) are left.
    for (const shard of [0, 1]) {
      const rows = await databases()[shard]!.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>();
      const streamsInShard = streams.filter((stream) => shardIndex(stream, 2) === shard).length;
      if (rows!.n > streamsInShard) expect(await bytesOf(shard)).toBeLessThanOrEqual(budget);
      expect(await bytesOf(shard)).toBeLessThan(before[shard]!);
    }
  });
});

describe('retention and Durable Object pruning per shard', () => {
  const ledgers = aggregateClients({ ledger: { aggregate: Ledger, binding: 'SHARDED_LEDGER' } });
  const run = Date.now().toString(36);

  const localEvents = (id: string) => localEventCount(testEnv.SHARDED_LEDGER, id);

  it('prunes each aggregate after its own shard archived it, and a pruned aggregate reloads from that shard', async () => {
    const prefix = `escf-archive-test/${run}/`;
    const ids = Array.from({ length: 6 }, (_, i) => `${run}-${i}`);
    const holders = ids.map((aggregateId) => shardIndex({ aggregateType: 'Ledger', aggregateId }, 2));
    expect(new Set(holders)).toEqual(new Set([0, 1]));
    for (const id of ids) {
      for (let i = 1; i <= 5; i++) await ledgers(testEnv, { sync: [] }).ledger(id).deposit({ amount: i, memo: '' });
    }
    const archiver = new ShardedEventArchiver(databases(), testEnv.ESCF_ARCHIVE, {
      table: SHARDED_TABLE,
      prefix,
      retention: { default: retention.keepLastEvents(1), pruneDurableObjects: ['Ledger'] },
      aggregates: (shard, shardPrefix) =>
        durableObjectRetention(testEnv, {
          bindings: { Ledger: 'SHARDED_LEDGER' },
          history: { d1: SHARD_BINDINGS[shard]!, bucket: 'ESCF_ARCHIVE', table: SHARDED_TABLE, prefix: shardPrefix },
        }),
    });
    const report = await archiver.run();
    expect(report.events).toBe(ids.length * 4);
    expect(report.prunedDurableObjectEvents).toBe(ids.length * 4);
    expect(report.shards!.every((r) => r.prunedDurableObjectEvents > 0)).toBe(true);
    for (const id of ids) expect(await localEvents(id)).toBe(1);

    // A fresh instance whose snapshot is stale rebuilds from its own shard's archive and keeps working.
    for (const [index, id] of ids.entries()) {
      const stub = testEnv.SHARDED_LEDGER.get(testEnv.SHARDED_LEDGER.idFromName(id));
      await invalidateSnapshot(testEnv.SHARDED_LEDGER, id);
      await evictDurableObject(stub);
      expect(await ledgers(testEnv).ledger.state(id), `ledger in shard ${holders[index]}`).toEqual({
        version: 5,
        state: { balance: 15, entries: 5 },
      });
      await expect(ledgers(testEnv, { sync: [] }).ledger(id).deposit({ amount: 1, memo: '' })).resolves.toMatchObject({
        version: 6,
      });
    }
    const reader = new ShardedArchivingEventStore(databases(), testEnv.ESCF_ARCHIVE, { table: SHARDED_TABLE, prefix });
    for (const id of ids) {
      expect((await reader.readStream({ aggregateType: 'Ledger', aggregateId: id })).map((e) => e.version)).toEqual([
        1, 2, 3, 4, 5, 6,
      ]);
    }
  });
});
