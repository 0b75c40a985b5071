import type { EventEnvelope } from '../events/envelope.js';

/** Identifies one aggregate instance's stream of events. */
export interface StreamId {
  readonly aggregateType: string;
  readonly aggregateId: string;
  /** Part of the address in multi-tenant systems; `undefined` otherwise. */
  readonly tenantId?: string;
}

/** Options of {@link EventStore.append}. */
export interface AppendOptions {
  /**
   * The version the stream must be at before this append (0 for a new
   * stream). Any other version → `ConcurrencyError`. Appending events that
   * are already stored with the same ids at the same versions is a no-op,
   * so redelivery is safe.
   */
  readonly expectedVersion: number;
}

/** What {@link EventStore.append} reports. */
export interface AppendResult {
  /** The stream's version after the append. */
  readonly version: number;
  /** How many of the given events were new (0 for a redelivery). */
  readonly appended: number;
}

/** Options of {@link EventStore.readStream}. */
export interface ReadStreamOptions {
  /** First version to return (inclusive); defaults to 1. */
  readonly fromVersion?: number;
  /** Maximum number of events. */
  readonly limit?: number;
}

/** Options of {@link EventStore.readAll}. */
export interface ReadAllOptions {
  /** Return events whose global position is greater than this; defaults to 0 (from the start). */
  readonly after?: number;
  /** Maximum number of events in this batch. */
  readonly limit: number;
}

/**
 * The shared, ordered log of every event: what projections rebuild from and
 * fill gaps from. Each implementation must pass the conformance suite in
 * `@escf/testing` (`describeEventStoreConformance`).
 */
export interface EventStore {
  /**
   * Appends events (already numbered: versions `expectedVersion + 1 …`) to
   * their stream atomically, with optimistic concurrency and idempotent
   * redelivery (see {@link AppendOptions.expectedVersion}).
   */
  append(stream: StreamId, events: readonly EventEnvelope[], options: AppendOptions): Promise<AppendResult>;
  /** The events of one stream in version order. */
  readStream(stream: StreamId, options?: ReadStreamOptions): Promise<EventEnvelope[]>;
  /**
   * One batch of the whole log in global-position order; each event carries
   * its `position`. Call again with `after` = the last position to page.
   */
  readAll(options: ReadAllOptions): Promise<EventEnvelope[]>;
}

/**
 * An {@link EventStore} whose log is split into shards (separate databases),
 * each with its own dense positions. A stream lives in one shard, so
 * `readStream` and per-stream positions are as usual; whole-log readers that
 * tail the log keep one cursor per shard and read each with
 * {@link ShardedEventLog.readShard} (`readAll` is only a merged snapshot).
 */
export interface ShardedEventLog {
  /** How many shards the log has; shards are numbered from 0. */
  readonly shardCount: number;
  /** One batch of one shard's log in its position order (positions are that shard's). */
  readShard(shard: number, options: ReadAllOptions): Promise<EventEnvelope[]>;
  /** The shard's last position (0 while it is empty): where a reader that must not replay its history starts. */
  shardHead(shard: number): Promise<number>;
  /** The shard that holds (or will hold) the stream. */
  shardOf(stream: StreamId): Promise<number>;
}

/** Whether `store` is a {@link ShardedEventLog} (has shards to read one by one). */
export function isShardedEventLog(store: object): store is ShardedEventLog {
  const candidate = store as Partial<ShardedEventLog>;
  return (
    typeof candidate.shardCount === 'number' &&
    typeof candidate.readShard === 'function' &&
    typeof candidate.shardHead === 'function' &&
    typeof candidate.shardOf === 'function'
  );
}

/**
 * A stable string key for a stream, e.g. for maps, checkpoints and log
 * messages: `<tenant>/<type>/<id>`. The tenant is URI-encoded so that it
 * never contains `/`: tenant `a/Account` with id `x` and tenant `a` with id
 * `Account/x` are different streams and must not share a key.
 */
export function streamKey(stream: StreamId): string {
  return `${encodeURIComponent(stream.tenantId ?? '')}/${stream.aggregateType}/${stream.aggregateId}`;
}

/**
 * Checks that events handed to {@link EventStore.append} are one stream's
 * next versions, in order (`expectedVersion + 1`, `+ 2`, …); throws a
 * `RangeError` naming the first one that is not. Every store calls it.
 */
export function assertStreamNumbering(
  events: readonly EventEnvelope[],
  expectedVersion: number,
  stream: StreamId,
): void {
  events.forEach((event, index) => {
    if (event.version !== expectedVersion + index + 1) {
      throw new RangeError(
        `Event ${event.id} for ${streamKey(stream)} has version ${event.version}; expected ${expectedVersion + index + 1} (expectedVersion ${expectedVersion} + ${index + 1}).`,
      );
    }
  });
}
