import type { EventEnvelope } from '@escf/core';
import { retention } from '@escf/core/retention';
import type { AppendOptions, EventStore, StreamId } from '@escf/core/store';
import { describeEventStoreConformance, makeEvents } from '@escf/testing/conformance';
import { describe, expect, it } from 'vitest';
import { ArchivingEventStore, EventArchiver } from '../../src/archive/index.js';
import { appendOneByOne, d1RowCount, freshTable, readWholeLog, testEnv } from './helpers.js';

/** An ArchivingEventStore that archives everything it may (all but each stream's head) after every append. */
class ArchiveAfterEveryAppend implements EventStore {
  constructor(
    readonly store: ArchivingEventStore,
    readonly archiver: EventArchiver,
  ) {}
  async append(stream: StreamId, events: readonly EventEnvelope[], options: AppendOptions) {
    const result = await this.store.append(stream, events, options);
    await this.archiver.run();
    return result;
  }
  readStream: EventStore['readStream'] = (stream, options) => this.store.readStream(stream, options);
  readAll: EventStore['readAll'] = (options) => this.store.readAll(options);
}

async function archivingStore(options: { maxEventsPerRow?: number } = {}) {
  const table = await freshTable('conf');
  const store = new ArchivingEventStore(testEnv.ESCF_EVENTS, testEnv.ESCF_ARCHIVE, { table, ...options });
  const archiver = new EventArchiver(testEnv.ESCF_EVENTS, testEnv.ESCF_ARCHIVE, {
    table,
    retention: { default: retention.keepLastEvents(0) },
    maxEventsPerSegment: 2,
  });
  return { table, store, archiver };
}

describeEventStoreConformance('ArchivingEventStore (nothing archived)', async () => (await archivingStore()).store);
// One event per row and an archive run after every append: most of each stream lives in R2.
describeEventStoreConformance('ArchivingEventStore (archived after every append)', async () => {
  const { store, archiver } = await archivingStore({ maxEventsPerRow: 1 });
  return new ArchiveAfterEveryAppend(store, archiver);
});

describe('ArchivingEventStore across the archive boundary', () => {
  const a: StreamId = { aggregateType: 'Order', aggregateId: 'a' };
  const b: StreamId = { aggregateType: 'Order', aggregateId: 'b', tenantId: 't1' };
  const c: StreamId = { aggregateType: 'User', aggregateId: 'c' };

  it('reads the same log and streams before and after archiving, and D1 keeps only the heads', async () => {
    const { table, store, archiver } = await archivingStore({ maxEventsPerRow: 1 });
    // Interleave three streams of two types.
    for (let v = 1; v <= 12; v++) {
      for (const stream of [a, b, c]) {
        if (stream === c && v > 5) continue;
        await store.append(stream, makeEvents(stream, v, 1), { expectedVersion: v - 1 });
      }
    }
    const before = await readWholeLog(store);
    const streamsBefore = await Promise.all([a, b, c].map((s) => store.readStream(s)));
    const report = await archiver.run();
    expect(report.events).toBe(before.length - 3);
    expect(report.segments).toBeGreaterThan(3);
    expect(report.status.d1.events).toBe(3);
    expect(await d1RowCount(table)).toBe(3);
    expect(await readWholeLog(store)).toEqual(before);
    expect(await readWholeLog(store, 1000)).toEqual(before);
    expect(await Promise.all([a, b, c].map((s) => store.readStream(s)))).toEqual(streamsBefore);
    expect((await store.readStream(a, { fromVersion: 4, limit: 3 })).map((e) => e.version)).toEqual([4, 5, 6]);
    expect((await store.readStream(a, { fromVersion: 11 })).map((e) => e.version)).toEqual([11, 12]);
    // Appends still guard the stream head after archiving.
    await expect(store.append(a, makeEvents(a, 1, 1), { expectedVersion: 0 })).rejects.toMatchObject({
      code: 'CONCURRENCY_CONFLICT',
    });
    await store.append(a, makeEvents(a, 13, 1), { expectedVersion: 12 });
    expect((await readWholeLog(store)).at(-1)!.position).toBe(before.length + 1);
  });

  it('keepDays archives only old batches; keepAll overrides keep a type hot', async () => {
    const table = await freshTable('days');
    const store = new ArchivingEventStore(testEnv.ESCF_EVENTS, testEnv.ESCF_ARCHIVE, { table });
    const now = Date.UTC(2026, 10, 1);
    await appendOneByOne(store, a, 6, (v) => now - (10 - v) * 86_400_000); // ages 9..4 days
    await appendOneByOne(store, c, 6, () => now - 30 * 86_400_000);
    const archiver = new EventArchiver(testEnv.ESCF_EVENTS, testEnv.ESCF_ARCHIVE, {
      table,
      retention: { default: retention.keepDays(7), aggregates: { User: retention.keepAll() } },
      now: () => now,
    });
    const report = await archiver.run();
    expect(report.events).toBe(2); // versions 1 and 2 (9 and 8 days old)
    expect((await store.d1.readStream(a)).map((e) => e.version)).toEqual([3, 4, 5, 6]);
    expect(await store.d1.readStream(c)).toHaveLength(6);
    expect((await store.readStream(a)).map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('keepD1Bytes archives the oldest batches until D1 is under the budget', async () => {
    const { table, store } = await archivingStore();
    for (let i = 0; i < 10; i++) await store.append(a, makeEvents(a, i + 1, 1), { expectedVersion: i });
    const archiver = new EventArchiver(testEnv.ESCF_EVENTS, testEnv.ESCF_ARCHIVE, {
      table,
      retention: { default: retention.keepD1Bytes(1) },
    });
    const bytesBefore = (await archiver.status()).d1.bytes;
    const budget = Math.floor(bytesBefore * 0.45);
    const limited = new EventArchiver(testEnv.ESCF_EVENTS, testEnv.ESCF_ARCHIVE, {
      table,
      retention: { default: retention.keepD1Bytes(budget) },
    });
    const report = await limited.run();
    expect(report.status.d1.bytes).toBeLessThanOrEqual(budget);
    expect(report.status.d1.bytes + report.d1Bytes).toBe(bytesBefore);
    expect(report.events).toBeGreaterThanOrEqual(5);
    expect(await store.readStream(a)).toHaveLength(10);
  });
});
