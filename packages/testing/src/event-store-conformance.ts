import { ConcurrencyError, type EventEnvelope } from '@escf/core';
import { newId } from '@escf/core/internal';
import { type EventStore, isShardedEventLog, type StreamId } from '@escf/core/store';
import { beforeEach, describe, expect, it } from 'vitest';

/** Builds numbered envelopes for one stream, as a host would after a command. */
export function makeEvents(stream: StreamId, fromVersion: number, count: number, type = 'Tested'): EventEnvelope[] {
  return Array.from({ length: count }, (_, index) => ({
    id: newId(),
    aggregateType: stream.aggregateType,
    aggregateId: stream.aggregateId,
    version: fromVersion + index,
    type,
    schemaVersion: 1,
    payload: { n: fromVersion + index, text: `event ${fromVersion + index} ✓ "quoted" 'single'` },
    timestamp: 1_700_000_000_000 + index,
    metadata: {
      correlationId: 'c-1',
      causationId: 'c-1',
      ...(stream.tenantId === undefined ? {} : { tenantId: stream.tenantId }),
    },
  }));
}

/**
 * The behaviour every {@link EventStore} must have. Call it inside a test
 * file with a factory that returns an empty store; it declares a `describe`
 * block of tests.
 *
 * @example
 * ```ts
 * describeEventStoreConformance('D1EventStore', async () => new D1EventStore(env.DB));
 * ```
 */
export function describeEventStoreConformance(name: string, createStore: () => EventStore | Promise<EventStore>): void {
  describe(`${name} conforms to EventStore`, () => {
    let store: EventStore;
    const user = (id: string, tenantId?: string): StreamId => ({
      aggregateType: 'User',
      aggregateId: id,
      ...(tenantId === undefined ? {} : { tenantId }),
    });
    const strip = (events: EventEnvelope[]) => events.map(({ position: _position, ...rest }) => rest);

    beforeEach(async () => {
      store = await createStore();
    });

    it('reads back what was appended, in version order, unchanged', async () => {
      const events = makeEvents(user('a'), 1, 3);
      await expect(store.append(user('a'), events, { expectedVersion: 0 })).resolves.toEqual({
        version: 3,
        appended: 3,
      });
      expect(strip(await store.readStream(user('a')))).toEqual(events);
    });

    it('returns an empty stream for an unknown aggregate', async () => {
      expect(await store.readStream(user('nobody'))).toEqual([]);
    });

    it('appends to an existing stream at the expected version', async () => {
      await store.append(user('a'), makeEvents(user('a'), 1, 2), { expectedVersion: 0 });
      await expect(store.append(user('a'), makeEvents(user('a'), 3, 1), { expectedVersion: 2 })).resolves.toEqual({
        version: 3,
        appended: 1,
      });
      expect((await store.readStream(user('a'))).map((e) => e.version)).toEqual([1, 2, 3]);
    });

    it('rejects an append at a stale expected version with ConcurrencyError and stores nothing', async () => {
      await store.append(user('a'), makeEvents(user('a'), 1, 2), { expectedVersion: 0 });
      const error = await store
        .append(user('a'), makeEvents(user('a'), 2, 2), { expectedVersion: 1 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConcurrencyError);
      expect((error as ConcurrencyError).code).toBe('CONCURRENCY_CONFLICT');
      expect((await store.readStream(user('a'))).map((e) => e.version)).toEqual([1, 2]);
    });

    it('treats a redelivery of already stored events as a no-op', async () => {
      const events = makeEvents(user('a'), 1, 3);
      await store.append(user('a'), events, { expectedVersion: 0 });
      await expect(store.append(user('a'), events, { expectedVersion: 0 })).resolves.toEqual({
        version: 3,
        appended: 0,
      });
      expect(await store.readStream(user('a'))).toHaveLength(3);
      expect(await store.readAll({ limit: 100 })).toHaveLength(3);
    });

    it('reads a stream from a version, with a limit', async () => {
      await store.append(user('a'), makeEvents(user('a'), 1, 5), { expectedVersion: 0 });
      expect((await store.readStream(user('a'), { fromVersion: 3 })).map((e) => e.version)).toEqual([3, 4, 5]);
      expect((await store.readStream(user('a'), { fromVersion: 2, limit: 2 })).map((e) => e.version)).toEqual([2, 3]);
    });

    it('keeps streams of different aggregates, types and tenants apart', async () => {
      await store.append(user('a'), makeEvents(user('a'), 1, 1), { expectedVersion: 0 });
      await store.append(user('a', 't1'), makeEvents(user('a', 't1'), 1, 2), { expectedVersion: 0 });
      const order: StreamId = { aggregateType: 'Order', aggregateId: 'a' };
      await store.append(order, makeEvents(order, 1, 3), { expectedVersion: 0 });
      expect(await store.readStream(user('a'))).toHaveLength(1);
      expect(await store.readStream(user('a', 't1'))).toHaveLength(2);
      expect(await store.readStream(user('a', 't2'))).toHaveLength(0);
      expect(await store.readStream(order)).toHaveLength(3);
    });

    it('reads all events in global order, in batches, with increasing positions', async () => {
      const a1 = makeEvents(user('a'), 1, 2);
      const b1 = makeEvents(user('b'), 1, 3);
      const a2 = makeEvents(user('a'), 3, 2);
      await store.append(user('a'), a1, { expectedVersion: 0 });
      await store.append(user('b'), b1, { expectedVersion: 0 });
      await store.append(user('a'), a2, { expectedVersion: 2 });

      const seen: EventEnvelope[] = [];
      let after = 0;
      for (;;) {
        const batch = await store.readAll({ after, limit: 2 });
        if (batch.length === 0) break;
        expect(batch.length).toBeLessThanOrEqual(2);
        seen.push(...batch);
        after = batch[batch.length - 1]!.position!;
      }
      const committed = [...a1, ...b1, ...a2];
      if (isShardedEventLog(store)) {
        // Positions are per shard: every event once, in version order per stream.
        expect(seen.map((e) => e.id).sort()).toEqual(committed.map((e) => e.id).sort());
        for (const id of ['a', 'b'])
          expect(seen.filter((e) => e.aggregateId === id).map((e) => e.version)).toEqual(
            committed.filter((e) => e.aggregateId === id).map((e) => e.version),
          );
        return;
      }
      expect(seen.map((e) => e.id)).toEqual(committed.map((e) => e.id));
      const positions = seen.map((e) => e.position!);
      expect(positions.every((p, i) => i === 0 || p > positions[i - 1]!)).toBe(true);
      expect(strip(seen)).toEqual(committed);
    });

    it('reads each shard in commit order with increasing positions (sharded stores)', async () => {
      if (!isShardedEventLog(store)) return;
      const sharded = store;
      const streams = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => user(id));
      const committed: EventEnvelope[] = [];
      for (const round of [1, 3]) {
        for (const stream of streams) {
          const events = makeEvents(stream, round, 2);
          await store.append(stream, events, { expectedVersion: round - 1 });
          committed.push(...events);
        }
      }
      const byShard: EventEnvelope[][] = [];
      for (let shard = 0; shard < sharded.shardCount; shard++) {
        const seen: EventEnvelope[] = [];
        for (let after = 0; ; ) {
          const batch = await sharded.readShard(shard, { after, limit: 3 });
          if (batch.length === 0) break;
          seen.push(...batch);
          after = batch.at(-1)!.position!;
        }
        const positions = seen.map((e) => e.position!);
        expect(positions.every((p, i) => i === 0 || p > positions[i - 1]!)).toBe(true);
        // Within a shard, the log is in commit order.
        const ids = new Set(seen.map((e) => e.id));
        expect(seen.map((e) => e.id)).toEqual(committed.filter((e) => ids.has(e.id)).map((e) => e.id));
        byShard.push(seen);
      }
      // Every event is in exactly one shard, and a stream never spans shards.
      expect(
        byShard
          .flat()
          .map((e) => e.id)
          .sort(),
      ).toEqual(committed.map((e) => e.id).sort());
      for (const stream of streams) {
        expect(byShard.filter((seen) => seen.some((e) => e.aggregateId === stream.aggregateId))).toHaveLength(1);
        // shardOf names the shard that holds the stream.
        expect(byShard[await sharded.shardOf(stream)]!.some((e) => e.aggregateId === stream.aggregateId)).toBe(true);
      }
      // shardHead is each shard's last position (0 for an empty one).
      for (let shard = 0; shard < sharded.shardCount; shard++)
        expect(await sharded.shardHead(shard)).toBe(byShard[shard]!.at(-1)?.position ?? 0);
    });

    it('assigns positions that readStream reports too', async () => {
      await store.append(user('a'), makeEvents(user('a'), 1, 2), { expectedVersion: 0 });
      const [first, second] = await store.readStream(user('a'));
      expect(first!.position).toBeGreaterThan(0);
      expect(second!.position).toBeGreaterThan(first!.position!);
    });

    it('rejects events whose versions do not follow the expected version', async () => {
      await expect(store.append(user('a'), makeEvents(user('a'), 2, 1), { expectedVersion: 0 })).rejects.toThrow();
      expect(await store.readStream(user('a'))).toEqual([]);
    });
  });
}
