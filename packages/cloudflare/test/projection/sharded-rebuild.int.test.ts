// A rebuild over a sharded event store: every shard is read after its own
// cursor (in parallel), the cursors are saved per shard, a step that fails
// or runs twice loses and repeats nothing, and the model equals the log.
import { describeProjection } from '@escf/core/internal';
import { describe, expect, it } from 'vitest';
import { EventsTable } from '../../src/event-store/events-table.js';
import { shardIndex } from '../../src/event-store/shard-map.js';
import { ShardedD1EventStore } from '../../src/event-store/sharded-event-store.js';
import { ProjectionRebuild } from '../../src/projection/projection-rebuild.js';
import { envelope, testEnv, uniqueId } from './helpers.js';
import { Tally } from './tally-projection.js';

async function shardedLog(): Promise<ShardedD1EventStore> {
  const table = `rebuild_shards_${Date.now().toString(36)}`;
  const shards = [testEnv.ESCF_EVENTS, testEnv.ESCF_EVENTS_1];
  await Promise.all(shards.map((db) => new EventsTable(db, table).create()));
  return new ShardedD1EventStore(shards, { table });
}

describe('rebuilding from a sharded event store', () => {
  it('reads every shard after its own cursor, saves the cursors per shard, and ends equal to the log', async () => {
    const store = await shardedLog();
    const ids = Array.from({ length: 10 }, (_, i) => uniqueId(`sharded-rebuild-${i}`));
    for (const id of ids) {
      const events = Array.from({ length: 7 }, (_, v) => envelope(id, v + 1, 'Counted', { by: v + 1 }, 2));
      await store.append({ aggregateType: 'Counter', aggregateId: id }, events, { expectedVersion: 0 });
    }
    const used = new Set(ids.map((id) => shardIndex({ aggregateType: 'Counter', aggregateId: id }, 2)));
    expect(used.size).toBe(2); // both shards hold streams

    const db = testEnv.SHARDED_TALLY_DB;
    // One page per step, 4 events per shard per page: many steps, each saving both cursors.
    const rebuild = new ProjectionRebuild(
      describeProjection(Tally),
      new Tally({ TALLY_DB: db }),
      db,
      store,
      4,
      async () => 70,
      undefined,
      1,
    );
    await rebuild.start();
    let steps = 0;
    for (;;) {
      const before = await rebuild.status();
      const { more } = await rebuild.step();
      steps += 1;
      // A repeated continuation (same generation and cursor) changes nothing.
      await rebuild.step({ generation: before!.generation, cursor: before!.cursor });
      if (!more) break;
    }
    expect(steps).toBeGreaterThan(5);
    const status = await rebuild.status();
    expect(status).toMatchObject({ status: 'done', applied: 70 });
    const { results } = await db
      .prepare('SELECT shard, cursor FROM escf_projection_rebuild_shards WHERE projection = ?1 ORDER BY shard')
      .bind('tally')
      .all<{ shard: number; cursor: number }>();
    const heads = await Promise.all(store.shards.map(async (shard) => (await shard.readAll({ limit: 1000 })).length));
    expect(results).toEqual(heads.map((cursor, shard) => ({ shard, cursor })));
    // The batches that applied the events recorded each shard's applied position (what the admin counts lag from).
    const applied = await db
      .prepare('SELECT shard, position FROM escf_projection_shard_positions WHERE projection = ?1 ORDER BY shard')
      .bind('tally')
      .all<{ shard: number; position: number }>();
    expect(applied.results).toEqual(heads.map((position, shard) => ({ shard, position })));
    expect(status!.cursor).toBe(70);
    for (const id of ids) {
      const row = await db.prepare('SELECT total, history FROM tally WHERE id = ?1').bind(id).first();
      expect(row).toEqual({ total: 28, history: '1,2,3,4,5,6,7' });
    }
  });
});
