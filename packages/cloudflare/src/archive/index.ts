/**
 * @escf/cloudflare/archive — retention and archiving: events the retention
 * policy (`@escf/core/retention`) no longer keeps hot move from D1 (and
 * optionally each aggregate's Durable Object) to immutable gzip NDJSON
 * segments in R2; the {@link ArchivingEventStore} reads archive and D1 as one log.
 *
 * @packageDocumentation
 */
export { ArchivingEventStore, defaultArchivePrefix, type ArchivingEventStoreOptions } from './archiving-event-store.js';
export { EventArchiver, type AggregateRetentionHooks, type EventArchiverOptions } from './event-archiver.js';
export type { ArchivePreview, ArchiveRunReport, ArchiveStatus } from './archive-report.js';
export { durableObjectRetention, type DurableObjectRetentionOptions } from './aggregate-retention.js';
export {
  archiveAdminEntrypoint,
  archiveOnSchedule,
  runArchiveBatches,
  type ArchiveAdmin,
  type ArchiveAdminEntrypointClass,
  type ArchiveBatchesReport,
  type ArchiveBudget,
  type ArchiveRunnerOptions,
} from './archive-runner.js';
