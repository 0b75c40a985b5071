/**
 * @escf/cloudflare/archive — retention and archiving: events the retention
 * policy no longer keeps hot move from D1 (and optionally each aggregate's
 * Durable Object) to immutable gzip NDJSON segments in R2; the
 * {@link ArchivingEventStore} reads archive and D1 as one log.
 *
 * @packageDocumentation
 */
export { ArchivingEventStore, defaultArchivePrefix, type ArchivingEventStoreOptions } from './archiving-event-store.js';
export { EventArchiver, type AggregateRetentionHooks, type ArchiverFaults, type EventArchiverOptions } from './event-archiver.js';
export type { ArchivePreview, ArchiveRunReport, ArchiveStatus } from './archive-report.js';
export { ArchiveManifest, type CommitOutcome, type SegmentRecord, type StreamSegment } from './archive-manifest.js';
export { R2SegmentStore, type R2SegmentStoreOptions, type SegmentWriteOutcome } from './r2-segment-store.js';
export { decodeSegment, encodeSegment, segmentKey, type ArchivedRow, type DecodedRow, type EncodedSegment } from './archive-segment.js';
export { durableObjectRetention, prunedHistory, retainInStorage, type CurrentState, type DurableObjectRetentionOptions, type HistorySource, type RetainRequest, type RetainResult } from './aggregate-retention.js';
export { archiveAdminEntrypoint, archiveOnSchedule, runArchiveBatches, type ArchiveAdmin, type ArchiveAdminEntrypointClass, type ArchiveBatchesReport, type ArchiveBudget, type ArchiveRunnerOptions } from './archive-runner.js';
export { archiveMigration, archiveTables, ensureArchiveSchema, type ArchiveTables } from './archive-schema.js';
