import { EVENT_STORE_TABLE } from '@escf/core/internal';
import type { ArchivePreview, ArchiveRunReport, ArchiveStatus } from './archive-report.js';
import type { Archiver } from './archiver.js';
import { defaultArchivePrefix } from './archiving-event-store.js';
import { type AggregateRetentionHooks, EventArchiver, type EventArchiverOptions } from './event-archiver.js';

/**
 * The key prefix of one shard's archive: shard 0 keeps `prefix` itself (so a
 * store that grew from one database keeps its archive where it was), shard N
 * uses `<prefix>shard-N/`. Segment keys, the manifest mirror and the orphan
 * sweep all live under the shard's prefix, so two shards never meet in R2
 * even though their positions overlap.
 */
export function shardArchivePrefix(shard: number, prefix: string = defaultArchivePrefix()): string {
  if (!Number.isInteger(shard) || shard < 0) throw new RangeError(`A shard is an integer ≥ 0 (got ${shard})`);
  return shard === 0 ? prefix : `${prefix}shard-${shard}/`;
}

/** Options of {@link ShardedEventArchiver}. */
export interface ShardedEventArchiverOptions extends Omit<EventArchiverOptions, 'aggregates'> {
  /**
   * Snapshots and Durable Object pruning, per shard: `prefix` is that shard's
   * archive prefix, which a pruned aggregate must read its history back from
   * (`durableObjectRetention(env, { bindings, history: { d1: <the shard's binding>, bucket, table, prefix } })`).
   */
  readonly aggregates?: (shard: number, prefix: string) => AggregateRetentionHooks;
}

/**
 * Archiving for a sharded event store: one {@link EventArchiver} per shard
 * database, each with its own manifest (in its database) and its own key
 * prefix ({@link shardArchivePrefix}), run side by side. Retention applies
 * per shard: a stream's history lives in one shard, so per-stream policies
 * act as with one database, and `keepD1Bytes` bounds each database (D1's
 * size limit is per database). Read the result back with
 * `ShardedArchivingEventStore`.
 *
 * @example
 * ```ts
 * const archiver = new ShardedEventArchiver([env.ESCF_EVENTS, env.ESCF_EVENTS_1], env.ESCF_ARCHIVE, {
 *   retention: { default: retention.keepDays(90) },
 * });
 * const report = await archiver.run(); // totals, and `shards`: each shard's own report
 * ```
 */
export class ShardedEventArchiver implements Archiver {
  /** One archiver per shard database, by shard number. */
  readonly shards: readonly EventArchiver[];

  constructor(databases: readonly D1Database[], bucket: R2Bucket, options: ShardedEventArchiverOptions) {
    if (databases.length === 0) throw new RangeError('ShardedEventArchiver needs at least one database.');
    const { aggregates, prefix, ...shared } = options;
    const base = prefix ?? defaultArchivePrefix(options.table ?? EVENT_STORE_TABLE);
    this.shards = databases.map((db, shard) => {
      const shardPrefix = shardArchivePrefix(shard, base);
      return new EventArchiver(db, bucket, {
        ...shared,
        prefix: shardPrefix,
        ...(aggregates ? { aggregates: aggregates(shard, shardPrefix) } : {}),
      });
    });
  }

  /** Runs one bounded batch on every shard (each within `maxRowsPerRun`) and adds them up. */
  async run(): Promise<ArchiveRunReport> {
    const reports = await Promise.all(this.shards.map((archiver) => archiver.run()));
    const sum = (key: SummedRunKey) => reports.reduce((total, report) => total + report[key], 0);
    return {
      events: sum('events'),
      rows: sum('rows'),
      segments: sum('segments'),
      reusedSegments: sum('reusedSegments'),
      d1Bytes: sum('d1Bytes'),
      r2Bytes: sum('r2Bytes'),
      prunedDurableObjectEvents: sum('prunedDurableObjectEvents'),
      snapshotsTaken: sum('snapshotsTaken'),
      more: reports.some((report) => report.more),
      warnings: [...new Set(reports.flatMap((report) => report.warnings))],
      status: combineStatuses(reports.map((report) => report.status)),
      startedAt: Math.min(...reports.map((report) => report.startedAt)),
      finishedAt: Math.max(...reports.map((report) => report.finishedAt)),
      shards: reports,
    };
  }

  async preview(): Promise<ArchivePreview> {
    const previews = await Promise.all(this.shards.map((archiver) => archiver.preview()));
    const byType = new Map<string, ArchivePreview['byType'][number]>();
    for (const entry of previews.flatMap((preview) => preview.byType)) {
      const known = byType.get(entry.aggregateType);
      byType.set(
        entry.aggregateType,
        known
          ? {
              aggregateType: entry.aggregateType,
              rows: known.rows + entry.rows,
              events: known.events + entry.events,
              bytes: known.bytes + entry.bytes,
              oldestPosition: Math.min(known.oldestPosition, entry.oldestPosition),
            }
          : entry,
      );
    }
    const sum = (key: 'rows' | 'events' | 'bytes' | 'awaitingSnapshot') =>
      previews.reduce((total, preview) => total + preview[key], 0);
    return {
      rows: sum('rows'),
      events: sum('events'),
      bytes: sum('bytes'),
      byType: [...byType.values()],
      awaitingSnapshot: sum('awaitingSnapshot'),
      more: previews.some((preview) => preview.more),
      shards: previews,
    };
  }

  async status(): Promise<ArchiveStatus> {
    return combineStatuses(await Promise.all(this.shards.map((archiver) => archiver.status())));
  }

  /** Sweeps every shard's prefix: each shard deletes only objects its own manifest does not hold. */
  async sweepOrphans(olderThanMs?: number): Promise<{ deleted: string[] }> {
    const swept = await Promise.all(this.shards.map((archiver) => archiver.sweepOrphans(olderThanMs)));
    return { deleted: swept.flatMap((result) => result.deleted) };
  }
}

type SummedRunKey =
  | 'events'
  | 'rows'
  | 'segments'
  | 'reusedSegments'
  | 'd1Bytes'
  | 'r2Bytes'
  | 'prunedDurableObjectEvents'
  | 'snapshotsTaken';

/** Totals over shards; positions are per shard, so they stay in `shards` (one shard: its own status). */
function combineStatuses(statuses: readonly ArchiveStatus[]): ArchiveStatus {
  if (statuses.length === 1) return statuses[0]!;
  const sum = (pick: (status: ArchiveStatus) => number) => statuses.reduce((total, s) => total + pick(s), 0);
  return {
    d1: {
      rows: sum((s) => s.d1.rows),
      events: sum((s) => s.d1.events),
      bytes: sum((s) => s.d1.bytes),
      firstPosition: null,
      lastPosition: null,
    },
    archive: {
      segments: sum((s) => s.archive.segments),
      events: sum((s) => s.archive.events),
      ndjsonBytes: sum((s) => s.archive.ndjsonBytes),
      gzipBytes: sum((s) => s.archive.gzipBytes),
      lastPosition: null,
    },
    shards: statuses,
  };
}
