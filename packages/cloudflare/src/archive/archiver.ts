import type { ArchivePreview, ArchiveRunReport, ArchiveStatus } from './archive-report.js';

/**
 * What runs archiving: {@link EventArchiver} over one D1 database, or
 * {@link ShardedEventArchiver} over every shard database of a sharded event
 * store. The schedule, the archive admin entrypoint and the ESCF console
 * take either.
 */
export interface Archiver {
  /** Runs one bounded batch of archiving and reports what moved and what D1 holds now. */
  run(): Promise<ArchiveRunReport>;
  /** What the next run would archive, without archiving, snapshotting or writing anything. */
  preview(): Promise<ArchivePreview>;
  /** What D1 and the archive hold now. */
  status(): Promise<ArchiveStatus>;
  /** Deletes uncommitted segment objects older than `olderThanMs`. */
  sweepOrphans(olderThanMs?: number): Promise<{ deleted: string[] }>;
}
