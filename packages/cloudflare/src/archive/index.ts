/**
 * @escf/cloudflare/archive — retention and archiving: events the retention
 * policy (`@escf/core/retention`) no longer keeps hot move from D1 (and
 * optionally each aggregate's Durable Object) to immutable gzip NDJSON
 * segments in R2; the {@link ArchivingEventStore} reads archive and D1 as one log.
 *
 * @packageDocumentation
 */

export {
  archivedHistory,
  type DurableObjectRetentionOptions,
  durableObjectRetention,
  type HistorySource,
} from './aggregate-retention.js';
export type { ArchivePreview, ArchiveRunReport, ArchiveStatus } from './archive-report.js';
export {
  type ArchiveAdmin,
  type ArchiveAdminEntrypointClass,
  type ArchiveBatchesReport,
  type ArchiveBudget,
  type ArchiveRunnerOptions,
  archiveAdminEntrypoint,
  archiveOnSchedule,
  runArchiveBatches,
} from './archive-runner.js';
export { type ArchiveScheduleOptions, withArchiveSchedule } from './archive-schedule.js';
export type { Archiver } from './archiver.js';
export { ArchivingEventStore, type ArchivingEventStoreOptions, defaultArchivePrefix } from './archiving-event-store.js';
export { type AggregateRetentionHooks, EventArchiver, type EventArchiverOptions } from './event-archiver.js';
export { ShardedArchivingEventStore, type ShardedArchivingEventStoreOptions } from './sharded-archiving-event-store.js';
export {
  ShardedEventArchiver,
  type ShardedEventArchiverOptions,
  shardArchivePrefix,
} from './sharded-event-archiver.js';
