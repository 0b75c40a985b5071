import type { EventEnvelope } from '@escf/core';
import { EVENT_STORE_TABLE } from '@escf/core/internal';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  ShardedEventLog,
  StreamId,
} from '@escf/core/store';
import {
  readAllShards,
  readShardOf,
  ShardedD1EventStore,
  type ShardedD1EventStoreOptions,
} from '../event-store/sharded-event-store.js';
import { ArchivingEventStore, defaultArchivePrefix } from './archiving-event-store.js';
import { shardArchivePrefix } from './sharded-event-archiver.js';

/** Options of {@link ShardedArchivingEventStore}. */
export interface ShardedArchivingEventStoreOptions extends ShardedD1EventStoreOptions {
  /** Shard 0's archive key prefix (shard N reads `<prefix>shard-N/`); defaults to `escf-archive/<table>/`. */
  readonly prefix?: string;
  /** Decoded segments kept in memory per shard; defaults to 4. */
  readonly cacheSegments?: number;
}

/**
 * A sharded event store's whole log: per shard, that shard's R2 archive
 * (written by `ShardedEventArchiver` under {@link shardArchivePrefix})
 * followed by its D1 database, as one {@link ArchivingEventStore} each.
 * Streams are placed exactly as by {@link ShardedD1EventStore}; whole-log
 * readers keep a cursor per shard (`readShard`), so a projection rebuild
 * reads every shard's archive and D1 in parallel. Passes
 * `describeEventStoreConformance`.
 *
 * @example
 * ```ts
 * const store = new ShardedArchivingEventStore([env.ESCF_EVENTS, env.ESCF_EVENTS_1], env.ESCF_ARCHIVE);
 * const firstOfShard1 = await store.readShard(1, { after: 0, limit: 500 }); // its R2 segments, then its D1 rows
 * ```
 */
export class ShardedArchivingEventStore implements EventStore, ShardedEventLog {
  /** Archive + D1 of each shard, by shard number. */
  readonly shards: readonly ArchivingEventStore[];
  /** Placement: which shard holds a stream (the archiver leaves every stream's newest batch in D1, so D1 answers). */
  private readonly placement: ShardedD1EventStore;

  constructor(databases: readonly D1Database[], bucket: R2Bucket, options: ShardedArchivingEventStoreOptions = {}) {
    const { prefix, cacheSegments, layouts: _layouts, ...d1Options } = options;
    this.placement = new ShardedD1EventStore(databases, options);
    const base = prefix ?? defaultArchivePrefix(options.table ?? EVENT_STORE_TABLE);
    this.shards = databases.map(
      (db, shard) =>
        new ArchivingEventStore(db, bucket, {
          ...d1Options,
          prefix: shardArchivePrefix(shard, base),
          ...(cacheSegments === undefined ? {} : { cacheSegments }),
        }),
    );
  }

  get shardCount(): number {
    return this.shards.length;
  }

  /** The shard that holds (or will hold) the stream (see `ShardedD1EventStore.shardOf`). */
  shardOf(stream: StreamId): Promise<number> {
    return this.placement.shardOf(stream);
  }

  async append(stream: StreamId, events: readonly EventEnvelope[], options: AppendOptions): Promise<AppendResult> {
    return this.shards[await this.placement.shardOf(stream)]!.append(stream, events, options);
  }

  async readStream(stream: StreamId, options?: ReadStreamOptions): Promise<EventEnvelope[]> {
    return this.shards[await this.placement.shardOf(stream)]!.readStream(stream, options);
  }

  /** The stream's version (0 when it has no events). */
  headVersion(stream: StreamId): Promise<number> {
    return this.placement.headVersion(stream);
  }

  readShard(shard: number, options: ReadAllOptions): Promise<EventEnvelope[]> {
    return readShardOf(this.shards, shard, options);
  }

  /** The shard's last position: its D1's (the archiver leaves every stream's newest batch there, so the newest of all too). */
  shardHead(shard: number): Promise<number> {
    return this.placement.shardHead(shard);
  }

  /** Every shard's archive and D1 merged by position, then shard: a snapshot for tools and tests (see `ShardedD1EventStore.readAll`). */
  readAll(options: ReadAllOptions): Promise<EventEnvelope[]> {
    return readAllShards(this.shards, options);
  }
}
