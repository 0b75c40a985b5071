import type { EventEnvelope } from '@escf/core';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  ShardedEventLog,
  StreamId,
} from '@escf/core/store';
import { D1EventStore, type D1EventStoreOptions, type D1WriteStats } from './d1-event-store.js';
import { type ShardLayout, ShardMap } from './shard-map.js';

/** Options of {@link ShardedD1EventStore}. */
export interface ShardedD1EventStoreOptions extends D1EventStoreOptions {
  /**
   * Generations of the shard layout, oldest first (see {@link ShardMap}).
   * Defaults to one generation over every database given.
   */
  readonly layouts?: readonly ShardLayout[];
}

/**
 * The D1 event store over several databases (shards). Each stream lives in
 * one shard, chosen by a stable hash of (tenant, type, id) under the layout
 * generation it was created in; positions are per shard. Appends and stream
 * reads go to the stream's shard only, so N shards take N times the appends
 * of one database. Whole-log readers keep a cursor per shard
 * ({@link ShardedD1EventStore.readShard}); `readAll` merges the shards for a
 * one-off read (a snapshot, not for tailing: see {@link ShardedEventLog}).
 *
 * Passes `describeEventStoreConformance`; with one database it is a plain
 * {@link D1EventStore}.
 *
 * @example
 * ```ts
 * const store = new ShardedD1EventStore([env.ESCF_EVENTS, env.ESCF_EVENTS_1]);
 * await store.append(stream, events, { expectedVersion: 0 });
 * const firstOfShard1 = await store.readShard(1, { after: 0, limit: 500 });
 * ```
 */
export class ShardedD1EventStore implements EventStore, ShardedEventLog {
  /** One store per shard database, by shard number. */
  readonly shards: readonly D1EventStore[];
  private readonly map: ShardMap;
  /** Streams whose shard is known (resolved once per stream when layouts disagree). */
  private readonly placed = new Map<string, number>();

  constructor(databases: readonly D1Database[], options: ShardedD1EventStoreOptions = {}) {
    if (databases.length === 0) throw new RangeError('ShardedD1EventStore needs at least one database.');
    this.map = new ShardMap(options.layouts ?? databases.length);
    if (this.map.shardCount !== databases.length) {
      throw new RangeError(
        `The shard layout spans ${this.map.shardCount} databases but ${databases.length} were given: give one binding per shard.`,
      );
    }
    this.shards = databases.map((db) => new D1EventStore(db, options));
  }

  get shardCount(): number {
    return this.shards.length;
  }

  /** D1 `meta` totals over every shard. */
  get stats(): D1WriteStats {
    const total: D1WriteStats = { rowsWritten: 0, rowsRead: 0, statements: 0 };
    for (const shard of this.shards) {
      total.rowsWritten += shard.stats.rowsWritten;
      total.rowsRead += shard.stats.rowsRead;
      total.statements += shard.stats.statements;
    }
    return total;
  }

  /**
   * The shard that holds (or will hold) the stream. With one layout
   * generation this is pure arithmetic; after shards were added, a stream
   * whose generations disagree lives in the older shard that already has
   * it, else (a new stream) in the newest generation's.
   */
  async shardOf(stream: StreamId): Promise<number> {
    const candidates = this.map.candidates(stream);
    if (candidates.length === 1) return candidates[0]!;
    const key = `${stream.tenantId ?? ''}\u0000${stream.aggregateType}\u0000${stream.aggregateId}`;
    const known = this.placed.get(key);
    if (known !== undefined) return known;
    for (const shard of candidates.slice(1)) {
      if ((await this.shards[shard]!.headVersion(stream)) > 0) {
        this.placed.set(key, shard);
        return shard;
      }
    }
    return candidates[0]!; // not cached: it may still be created in an older shard by an older writer
  }

  async append(stream: StreamId, events: readonly EventEnvelope[], options: AppendOptions): Promise<AppendResult> {
    return this.shards[await this.shardOf(stream)]!.append(stream, events, options);
  }

  /** {@link D1EventStore.appendIdempotently} on the stream's shard; positions are that shard's. */
  async appendIdempotently(stream: StreamId, events: readonly EventEnvelope[]): Promise<number[]> {
    return this.shards[await this.shardOf(stream)]!.appendIdempotently(stream, events);
  }

  async readStream(stream: StreamId, options?: ReadStreamOptions): Promise<EventEnvelope[]> {
    return this.shards[await this.shardOf(stream)]!.readStream(stream, options);
  }

  /** The stream's version (0 when it has no events). */
  async headVersion(stream: StreamId): Promise<number> {
    return this.shards[await this.shardOf(stream)]!.headVersion(stream);
  }

  readShard(shard: number, options: ReadAllOptions): Promise<EventEnvelope[]> {
    return readShardOf(this.shards, shard, options);
  }

  shardHead(shard: number): Promise<number> {
    return shardAt(this.shards, shard).headPosition();
  }

  /**
   * Every shard's events after position `after` (each shard's own
   * positions), merged by position, then shard. A one-off read for tools
   * and tests: a page ends only after a position every shard passed, so
   * paging by the last position sees each stored event once while nothing
   * is appended (a page may hold up to one event per shard more than
   * `limit` when `limit` is below the shard count). Readers that tail the log use {@link ShardedD1EventStore.readShard} per shard.
   */
  readAll(options: ReadAllOptions): Promise<EventEnvelope[]> {
    return readAllShards(this.shards, options);
  }
}

/** A store of one shard as the sharded readers use it. */
interface ShardReader {
  readAll(options: ReadAllOptions): Promise<EventEnvelope[]>;
}

/** One shard's `readAll`, with a clear error for a shard that does not exist. */
export function readShardOf(
  shards: readonly ShardReader[],
  shard: number,
  options: ReadAllOptions,
): Promise<EventEnvelope[]> {
  return shardAt(shards, shard).readAll(options);
}

/** Shard number `shard` of `shards`; a clear error for one that does not exist. */
function shardAt<T>(shards: readonly T[], shard: number): T {
  const store = shards[shard];
  if (store === undefined) throw new RangeError(`No shard ${shard}: the store has shards 0 to ${shards.length - 1}.`);
  return store;
}

/** Every shard's page after the same position, merged by position, then shard (see {@link ShardedD1EventStore.readAll}). */
export async function readAllShards(shards: readonly ShardReader[], options: ReadAllOptions): Promise<EventEnvelope[]> {
  if (shards.length === 1) return shards[0]!.readAll(options);
  const limit = Math.max(0, options.limit);
  if (limit === 0) return [];
  return mergeShardPages(await Promise.all(shards.map((shard) => shard.readAll({ ...options, limit }))), limit);
}

/**
 * Merges one `readAll` page per shard (each read after the same position,
 * up to `limit`) by position, then shard, into one page of a merged
 * snapshot (see {@link ShardedD1EventStore.readAll}).
 */
export function mergeShardPages(pages: readonly (readonly EventEnvelope[])[], limit: number): EventEnvelope[] {
  const merged = pages
    .flatMap((page, shard) => page.map((event) => ({ event, shard })))
    .sort((a, b) => a.event.position! - b.event.position! || a.shard - b.shard);
  if (merged.length <= limit) return merged.map(({ event }) => event);
  // Cut before the last, possibly incomplete position so that `after` = the last position loses nothing.
  const cut = merged[limit]!.event.position!;
  const page = merged.filter(({ event }) => event.position! < cut).map(({ event }) => event);
  return page.length > 0 ? page : merged.filter(({ event }) => event.position === cut).map(({ event }) => event);
}
