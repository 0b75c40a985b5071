import type { EventEnvelope } from '@escf/core';
import { type EventStore, isShardedEventLog, type ShardedEventLog } from '@escf/core/store';
import { streamKeyOf, streamOf } from './stream-of-event.js';

/**
 * Where each stream lives, once known: a stream that has events never moves
 * (history stays in its shard when shards are added), so the answer is kept
 * for the isolate's life. Bounded, as a cache of one isolate must be.
 */
const placedStreams = new Map<string, number>();
const MAX_PLACED_STREAMS = 10_000;

/**
 * Over a sharded event store, a projection records per shard the highest
 * position it has applied (`escf_projection_shard_positions`), so the admin
 * entrypoint counts its lag in each shard's own positions. The statement
 * rides in the batch that applies the events: no D1 call of its own, and
 * the shard of a stream is arithmetic on its key (a lookup only for a stream
 * that hashes differently under older shard layouts, once per isolate).
 * An unsharded store records nothing.
 */
export class ProjectionShardPositions {
  private constructor(private readonly locator: ShardedEventLog) {}

  /** The recorder for `store`, or `null` when the store is not sharded. */
  static of(store: EventStore): ProjectionShardPositions | null {
    if (!isShardedEventLog(store) || store.shardCount < 2) return null;
    return new ProjectionShardPositions(store);
  }

  /** The statement that moves each shard's position up to the highest position among `events` (none without positions). */
  async statements(
    db: D1Database,
    projection: string,
    events: readonly EventEnvelope[],
  ): Promise<D1PreparedStatement[]> {
    const highest = new Map<number, number>();
    for (const event of events) {
      if (event.position === undefined) continue;
      const shard = await this.shardOf(event);
      highest.set(shard, Math.max(highest.get(shard) ?? 0, event.position));
    }
    if (highest.size === 0) return [];
    return [
      db
        .prepare(
          `INSERT INTO escf_projection_shard_positions (projection, shard, position)
           SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?2) WHERE true
           ON CONFLICT (projection, shard) DO UPDATE SET position = MAX(position, excluded.position)`,
        )
        .bind(projection, JSON.stringify([...highest])),
    ];
  }

  private async shardOf(event: EventEnvelope): Promise<number> {
    const key = `${this.locator.shardCount}:${streamKeyOf(event)}`;
    const known = placedStreams.get(key);
    if (known !== undefined) return known;
    const shard = await this.locator.shardOf(streamOf(event));
    if (placedStreams.size >= MAX_PLACED_STREAMS) placedStreams.clear();
    placedStreams.set(key, shard);
    return shard;
  }
}

/** Each shard's recorded position (0 where the projection has applied nothing yet), by shard number. */
export function shardPositionsOf(rows: readonly { shard: number; position: number }[], shardCount: number): number[] {
  const positions = Array.from({ length: shardCount }, () => 0);
  for (const row of rows) if (row.shard < shardCount) positions[row.shard] = row.position;
  return positions;
}
