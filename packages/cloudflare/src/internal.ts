/**
 * @escf/cloudflare/internal — storage layouts, codecs and limits that ESCF's
 * own tools and tests share. NOT public API: it changes in any release
 * without notice. Application code never needs it; if you do, open an issue
 * so the need gets a public home.
 *
 * @packageDocumentation
 */
export { durableObjectName } from './aggregate-address.js';
export { D1_EVENT_STORE_MIGRATION, applyD1EventStoreSchema, d1EventStoreMigration } from './d1-migration.js';
export { QUEUE_BATCH_LIMITS, splitIntoQueueBatches } from './queue-batches.js';
export { QUEUE_EVENT_MAX_BYTES, STORED_EVENT_MAX_BYTES } from './event-size-limit.js';
export { PROJECTION_SCHEMA } from './projection/projection-schema.js';
export { ProjectionGapError, ProjectionHandlerError } from './projection/projection-errors.js';
export { PROCESS_SCHEMA } from './process/process-schema.js';
export type { ArchiverFaults } from './archive/event-archiver.js';
export { ArchiveManifest, type CommitOutcome, type SegmentRecord, type StreamSegment } from './archive/archive-manifest.js';
export { R2SegmentStore, type R2SegmentStoreOptions, type SegmentWriteOutcome } from './archive/r2-segment-store.js';
export { decodeSegment, encodeSegment, segmentKey, type ArchivedRow, type DecodedRow, type EncodedSegment } from './archive/archive-segment.js';
export { prunedHistory, retainInStorage, type CurrentState, type HistorySource, type RetainRequest, type RetainResult } from './archive/aggregate-retention.js';
export { archiveMigration, archiveTables, ensureArchiveSchema, type ArchiveTables } from './archive/archive-schema.js';
export { ProcessGapError, ProcessHandlerError } from './process/process-errors.js';
