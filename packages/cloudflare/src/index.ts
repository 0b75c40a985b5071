/**
 * @escf/cloudflare — the ESCF runtime for Cloudflare Workers: one Durable
 * Object per aggregate instance (commits in its own SQLite), an outbox that
 * delivers events to the D1 event store, queues and synchronous subscribers,
 * projection and process entrypoints, sagas on Workflows, and typed clients
 * that keep error codes across RPC.
 *
 * Retention and archiving to R2 live at `@escf/cloudflare/archive`.
 *
 * @packageDocumentation
 */
export { durableObjectFor, AggregateHost, type AggregateHostClass, type AggregateState, type CommandRequest } from './durable-object-host.js';
export type { AggregateHostOptions } from './host-options.js';
export { UniqueValueClaims, uniqueValueOwner, type ClaimOwner, type UniquenessOptions, type UniqueValueLookup } from './uniqueness/index.js';
export { RateLimited, enforceRateLimit, localRateLimiter, rateLimiter, type RateLimitRule, type RateLimiter } from './rate-limit/rate-limiter.js';
export type { EventSubscriber, OutboxReport } from './outbox.js';
export {
  aggregateClients,
  type AggregateAccessor,
  type AggregateBinding,
  type AggregateClientOptions,
  type AggregateClients,
} from './aggregate-client.js';
export type { AggregateAddress } from './aggregate-address.js';
export { replyFrom, unwrapReply, type RpcReply } from './error-encoding.js';
export { DELIVERY_PENDING } from './delivery-pending-error.js';
export { D1EventStore, type D1EventStoreOptions, type D1WriteStats } from './d1-event-store.js';
export { projectionEntrypoint, type DeliveryReport, type ProjectionAdmin, type ProjectionEntrypointClass, type ProjectionEntrypointOptions } from './projection/projection-entrypoint.js';
export type { ProjectionStatus, RebuildStatus, StuckStream } from './projection/projection-status.js';
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
export { aggregateCommandSender } from './process/aggregate-command-sender.js';
export { Saga, runSaga, sagaInstanceId, startWorkflowOnce, type SagaOutcome } from './process/saga-workflow.js';
