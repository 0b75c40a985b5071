/**
 * @escf/cloudflare — the ESCF runtime for Cloudflare Workers: one Durable
 * Object per aggregate instance (commits in its own SQLite), an outbox that
 * delivers events to the D1 event store, queues and synchronous subscribers,
 * and typed clients that keep error codes across RPC.
 *
 * @packageDocumentation
 */
export { durableObjectFor, AggregateHost, type AggregateHostClass, type AggregateState, type CommandRequest } from './durable-object-host.js';
export type { AggregateHostOptions } from './host-options.js';
export { UniqueValueClaims, uniqueValueOwner, type ClaimOwner, type UniquenessOptions, type UniqueValueLookup } from './uniqueness/index.js';
export { RateLimited, enforceRateLimit, localRateLimiter, rateLimiter, type RateLimitRule, type RateLimiter } from './rate-limit/rate-limiter.js';
export {
  aggregateClients,
  type AggregateAccessor,
  type AggregateBinding,
  type AggregateClientOptions,
  type AggregateClients,
} from './aggregate-client.js';
export { durableObjectName, type AggregateAddress } from './aggregate-address.js';
export { replyFrom, unwrapReply, type RpcReply } from './error-encoding.js';
export { DELIVERY_PENDING } from './delivery-pending-error.js';
export type { EventSubscriber, OutboxReport } from './outbox.js';
export { D1EventStore, type D1EventStoreOptions, type D1WriteStats } from './d1-event-store.js';
export { D1_EVENT_STORE_MIGRATION, applyD1EventStoreSchema, d1EventStoreMigration } from './d1-migration.js';
export { QUEUE_BATCH_LIMITS, splitIntoQueueBatches } from './queue-batches.js';
export { QUEUE_EVENT_MAX_BYTES, STORED_EVENT_MAX_BYTES } from './event-size-limit.js';
export { projectionEntrypoint, type DeliveryReport, type ProjectionAdmin, type ProjectionEntrypointClass, type ProjectionEntrypointOptions } from './projection/projection-entrypoint.js';
export type { ProjectionStatus, RebuildStatus, StuckStream } from './projection/projection-status.js';
export { PROJECTION_SCHEMA } from './projection/projection-schema.js';
export { ProjectionGapError, ProjectionHandlerError } from './projection/projection-errors.js';
export {
  processEntrypoint,
  type ProcessAdmin,
  type ProcessDeliveryReport,
  type ProcessEntrypointClass,
  type ProcessEntrypointOptions,
  type ProcessOrdering,
  type RedriveRange,
  type RedriveReport,
} from './process/process-entrypoint.js';
export type { ProcessStatus } from './process/process-status.js';
export { ProcessGapError, ProcessHandlerError } from './process/process-errors.js';
export { PROCESS_SCHEMA } from './process/process-schema.js';
export { aggregateCommandSender } from './process/aggregate-command-sender.js';
export { Saga, runSaga, sagaInstanceId, startWorkflowOnce, type SagaOutcome } from './process/saga-workflow.js';
