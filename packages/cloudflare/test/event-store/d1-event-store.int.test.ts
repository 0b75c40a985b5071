import { describeEventStoreConformance, makeEvents } from '@escf/testing/conformance';
import { describe, expect, it } from 'vitest';
import { D1EventStore } from '../../src/event-store/d1-event-store.js';
import { applyD1EventStoreSchema, D1_EVENT_STORE_MIGRATION } from '../../src/event-store/d1-migration.js';
import { EventsTable } from '../../src/event-store/events-table.js';
import { testEnv } from '../helpers.js';

let tables = 0;
/** A store on a table of its own: the conformance suite expects an empty log per test. */
async function freshStore(options: ConstructorParameters<typeof D1EventStore>[1] = {}): Promise<D1EventStore> {
  tables += 1;
  const table = `conformance_${Date.now().toString(36)}_${tables}`;
  await applyD1EventStoreSchema(testEnv.ESCF_EVENTS, table);
  return new D1EventStore(testEnv.ESCF_EVENTS, { ...options, table });
}

describeEventStoreConformance('D1EventStore', () => freshStore());
// Tiny rows force multi-row batches, so the same behaviour holds across row boundaries.
describeEventStoreConformance('D1EventStore (one event per row)', () => freshStore({ maxEventsPerRow: 1 }));

describe('D1EventStore specifics', () => {
  const stream = { aggregateType: 'User', aggregateId: 'u1' };

  it('ships the same SQL as migrations/0001_escf_events.sql', () => {
    const statements = (sql: string) =>
      sql
        .split(';')
        .map((s) =>
          s
            .replace(/^\s*--.*$/gm, '')
            .replace(/\s+/g, ' ')
            .trim(),
        )
        .filter(Boolean);
    const shipped = testEnv.TEST_MIGRATIONS.find((m) => m.name === '0001_escf_events.sql');
    expect(shipped).toBeDefined();
    expect(
      shipped!.queries.map((q) =>
        q
          .replace(/^\s*--.*$/gm, '')
          .replace(/\s+/g, ' ')
          .replace(/;$/, '')
          .trim(),
      ),
    ).toEqual(statements(D1_EVENT_STORE_MIGRATION));
  });

  it('guards an append inside the write: a stale expected version stores nothing', async () => {
    const table = new EventsTable(testEnv.ESCF_EVENTS, `guard_${Date.now().toString(36)}`);
    await table.create();
    const store = new D1EventStore(testEnv.ESCF_EVENTS, { table: table.name });
    await store.append(stream, makeEvents(stream, 1, 2), { expectedVersion: 0 });
    const [third] = makeEvents(stream, 3, 1);
    const row = { firstVersion: 3, eventCount: 1, json: JSON.stringify([third]), firstEventId: third!.id };
    // The row would follow the stream's head (2), but the caller expected version 1: a conflict.
    await expect(table.appendRows(stream, [row], 1)).resolves.toBeNull();
    expect((await store.readStream(stream)).map((e) => e.version)).toEqual([1, 2]);
    expect(await table.logHead()).toBe(2);
    await expect(table.appendRows(stream, [row], 2)).resolves.toEqual([3]);
  });

  it('writes at most 2 D1 rows per batch however many events it holds', async () => {
    const store = await freshStore();
    await store.append(stream, makeEvents(stream, 1, 1), { expectedVersion: 0 });
    expect(store.stats.rowsWritten).toBe(2);
    await store.append(stream, makeEvents(stream, 2, 10), { expectedVersion: 1 });
    expect(store.stats.rowsWritten).toBe(4); // 10 events: 0.2 rows per event
  });

  it('splits a batch bigger than a row into several rows, atomically, with dense positions', async () => {
    const store = await freshStore({ maxRowBytes: 2_000 });
    const events = makeEvents(stream, 1, 30).map((e) => ({ ...e, payload: { blob: 'x'.repeat(300) } }));
    await store.append(stream, events, { expectedVersion: 0 });
    expect(store.stats.statements).toBeGreaterThan(3);
    const all = await store.readAll({ limit: 100 });
    expect(all.map((e) => e.position)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect((await store.readStream(stream, { fromVersion: 17, limit: 3 })).map((e) => e.version)).toEqual([17, 18, 19]);
  });

  it('appendIdempotently stores only what is missing after a lost acknowledgement', async () => {
    const store = await freshStore();
    const events = makeEvents(stream, 1, 5);
    const first = await store.appendIdempotently(stream, events.slice(0, 3));
    expect(first).toEqual([1, 2, 3]);
    // The outbox never saw the ack, so it sends 1..5 again.
    const positions = await store.appendIdempotently(stream, events);
    expect(positions).toEqual([1, 2, 3, 4, 5]);
    expect((await store.readStream(stream)).map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(await store.appendIdempotently(stream, events)).toEqual([1, 2, 3, 4, 5]);
    expect(await store.readAll({ limit: 100 })).toHaveLength(5);
  });

  it('appendIdempotently refuses other events at the same versions', async () => {
    const store = await freshStore();
    await store.append(stream, makeEvents(stream, 1, 2), { expectedVersion: 0 });
    await expect(store.appendIdempotently(stream, makeEvents(stream, 1, 2))).rejects.toMatchObject({
      code: 'INTERNAL',
    });
  });

  it('pages readAll across rows of different sizes', async () => {
    const store = await freshStore();
    const a = { aggregateType: 'User', aggregateId: 'a' };
    const b = { aggregateType: 'User', aggregateId: 'b' };
    await store.append(a, makeEvents(a, 1, 7), { expectedVersion: 0 });
    await store.append(b, makeEvents(b, 1, 1), { expectedVersion: 0 });
    await store.append(a, makeEvents(a, 8, 4), { expectedVersion: 7 });
    const seen: number[] = [];
    for (let after = 0; ; ) {
      const batch = await store.readAll({ after, limit: 3 });
      if (batch.length === 0) break;
      seen.push(...batch.map((e) => e.position!));
      after = batch.at(-1)!.position!;
    }
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('pages readAll past positions that are no longer in the table (archived rows)', async () => {
    const store = await freshStore();
    const table = (store as unknown as { table: EventsTable }).table.name;
    const streams = ['a', 'b', 'c'].map((id) => ({ aggregateType: 'User', aggregateId: id }));
    for (const s of streams)
      for (let v = 1; v <= 5; v++) await store.append(s, makeEvents(s, v, 1), { expectedVersion: v - 1 });
    // What the archiver leaves: each stream's last two rows (positions 4, 5, 9, 10, 14, 15).
    await testEnv.ESCF_EVENTS.prepare(`DELETE FROM ${table} WHERE position NOT IN (4, 5, 9, 10, 14, 15)`).run();
    for (const limit of [1, 2, 3, 4]) {
      const seen: number[] = [];
      for (let after = 0; seen.length < 100; ) {
        const batch = await store.readAll({ after, limit });
        if (batch.length === 0) break;
        seen.push(...batch.map((e) => e.position!));
        after = batch.at(-1)!.position!;
      }
      expect(seen, `limit ${limit}`).toEqual([4, 5, 9, 10, 14, 15]);
    }
  });
});
