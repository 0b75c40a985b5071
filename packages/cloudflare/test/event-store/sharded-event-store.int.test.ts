import { describeEventStoreConformance, makeEvents } from '@escf/testing/conformance';
import { describe, expect, it } from 'vitest';
import { EventsTable } from '../../src/event-store/events-table.js';
import { ShardMap, shardIndex } from '../../src/event-store/shard-map.js';
import { ShardedD1EventStore, type ShardedD1EventStoreOptions } from '../../src/event-store/sharded-event-store.js';
import { testEnv } from '../helpers.js';

const databases = () => [testEnv.ESCF_EVENTS, testEnv.ESCF_EVENTS_1, testEnv.ESCF_EVENTS_2, testEnv.ESCF_EVENTS_3];

let tables = 0;
/** A fresh table in each of the first `count` databases. */
async function freshTable(count: number): Promise<string> {
  tables += 1;
  const table = `sharded_${Date.now().toString(36)}_${tables}`;
  await Promise.all(
    databases()
      .slice(0, count)
      .map((db) => new EventsTable(db, table).create()),
  );
  return table;
}

/** A sharded store over the first `count` databases, on a fresh table. */
async function freshStore(count: number, options: ShardedD1EventStoreOptions = {}): Promise<ShardedD1EventStore> {
  return new ShardedD1EventStore(databases().slice(0, count), { ...options, table: await freshTable(count) });
}

describeEventStoreConformance('ShardedD1EventStore (1 shard)', () => freshStore(1));
describeEventStoreConformance('ShardedD1EventStore (2 shards)', () => freshStore(2));
describeEventStoreConformance('ShardedD1EventStore (4 shards)', () => freshStore(4));

describe('ShardedD1EventStore specifics', () => {
  it('puts each stream in the shard its stable hash picks, with positions per shard', async () => {
    const store = await freshStore(4);
    const streams = Array.from({ length: 12 }, (_, i) => ({ aggregateType: 'User', aggregateId: `u${i}` }));
    for (const stream of streams) await store.append(stream, makeEvents(stream, 1, 2), { expectedVersion: 0 });
    for (const stream of streams) {
      const shard = shardIndex(stream, 4);
      const own = await store.shards[shard]!.readStream(stream);
      expect(own.map((e) => e.version)).toEqual([1, 2]);
      for (const [other, db] of store.shards.entries())
        if (other !== shard) expect(await db.readStream(stream)).toEqual([]);
    }
    const heads = await Promise.all(store.shards.map((shard) => shard.readAll({ limit: 1000 })));
    // Each shard numbers its own log from 1, densely.
    for (const events of heads) expect(events.map((e) => e.position)).toEqual(events.map((_, i) => i + 1));
    expect(heads.flat()).toHaveLength(24);
    expect(heads.filter((events) => events.length > 0).length).toBeGreaterThan(1);
  });

  it('the stream hash is stable: the same streams land in the same shards in every release', () => {
    // Changing the hash would orphan history in deployed shards: these values are pinned.
    expect(shardIndex({ aggregateType: 'User', aggregateId: 'u1' }, 1_000_003)).toBe(58_974);
    expect(shardIndex({ tenantId: 't/1', aggregateType: 'Order', aggregateId: 'o1' }, 1_000_003)).toBe(318_803);
  });

  it('adding shards moves no history: old streams stay where they are, new streams use the new layout', async () => {
    const name = await freshTable(4);
    const two = new ShardedD1EventStore(databases().slice(0, 2), { table: name });
    const streams = Array.from({ length: 16 }, (_, i) => ({ aggregateType: 'Account', aggregateId: `a${i}` }));
    for (const stream of streams) await two.append(stream, makeEvents(stream, 1, 1), { expectedVersion: 0 });
    // The same two databases plus two more, as a second layout generation.
    const four = new ShardedD1EventStore(databases(), { table: name, layouts: [{ count: 2 }, { count: 4 }] });
    for (const stream of streams) {
      await four.append(stream, makeEvents(stream, 2, 1), { expectedVersion: 1 });
      expect(await four.shardOf(stream)).toBe(shardIndex(stream, 2));
      expect((await four.readStream(stream)).map((e) => e.version)).toEqual([1, 2]);
    }
    const fresh = Array.from({ length: 16 }, (_, i) => ({ aggregateType: 'Account', aggregateId: `n${i}` }));
    for (const stream of fresh) {
      await four.append(stream, makeEvents(stream, 1, 1), { expectedVersion: 0 });
      expect(await four.shardOf(stream)).toBe(shardIndex(stream, 4));
    }
    expect(new Set(fresh.map((stream) => shardIndex(stream, 4))).size).toBeGreaterThan(2);
  });

  it('refuses layouts that shrink or do not match the databases given', () => {
    expect(() => new ShardMap([{ count: 4 }, { count: 2 }])).toThrow(/never fewer/);
    expect(() => new ShardedD1EventStore(databases().slice(0, 2), { layouts: [{ count: 4 }] })).toThrow(
      /one binding per shard/,
    );
  });
});
