/**
 * @escf/cloudflare/internal — storage layouts, codecs and limits that ESCF's
 * own tools and tests share. NOT public API: it changes in any release
 * without notice. Application code never needs it; if you do, open an issue
 * so the need gets a public home.
 *
 * @packageDocumentation
 */
export { durableObjectName } from './aggregate/aggregate-address.js';
export type { CurrentState } from './aggregate/aggregate-storage.js';
export { QUEUE_EVENT_MAX_BYTES, STORED_EVENT_MAX_BYTES } from './aggregate/event-size-limit.js';
export { type RetainRequest, type RetainResult, retainInStorage } from './aggregate/retain-request.js';
export type { HistorySource } from './archive/aggregate-retention.js';
export {
  ArchiveManifest,
  type CommitOutcome,
  type SegmentRecord,
  type StreamSegment,
} from './archive/archive-manifest.js';
export { type ArchiveTables, archiveMigration, archiveTables, ensureArchiveSchema } from './archive/archive-schema.js';
export {
  type ArchivedRow,
  type DecodedRow,
  decodeSegment,
  type EncodedSegment,
  encodeSegment,
  segmentKey,
} from './archive/archive-segment.js';
export type { ArchiverFaults } from './archive/event-archiver.js';
export { R2SegmentStore, type R2SegmentStoreOptions, type SegmentWriteOutcome } from './archive/r2-segment-store.js';
export {
  applyD1EventStoreSchema,
  D1_EVENT_STORE_MIGRATION,
  d1EventStoreMigration,
} from './event-store/d1-migration.js';
export { QUEUE_BATCH_LIMITS, splitIntoQueueBatches } from './outbox/queue-batches.js';
export { ProcessGapError, ProcessHandlerError } from './process/process-errors.js';
export { PROCESS_SCHEMA } from './process/process-schema.js';
export { ProjectionGapError, ProjectionHandlerError } from './projection/projection-errors.js';
export { EventLogUnavailableError } from './projection/projection-event-log.js';
export { PROJECTION_SCHEMA } from './projection/projection-schema.js';
export { replyFrom, unwrapReply } from './rpc/error-encoding.js';
