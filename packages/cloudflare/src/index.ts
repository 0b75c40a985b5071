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

export type { AggregateAddress } from './aggregate/aggregate-address.js';
export {
  type AggregateAccessor,
  type AggregateBinding,
  type AggregateClientOptions,
  type AggregateClients,
  aggregateClients,
} from './aggregate/aggregate-client.js';
export { DELIVERY_PENDING } from './aggregate/delivery-pending-error.js';
export {
  AggregateHost,
  type AggregateHostClass,
  type AggregateState,
  type CommandRequest,
  durableObjectFor,
} from './aggregate/durable-object-host.js';
export type { AggregateHostOptions } from './aggregate/host-options.js';
export type { PrunedHistoryReader } from './aggregate/pruned-history.js';
export { D1EventStore, type D1EventStoreOptions, type D1WriteStats } from './event-store/d1-event-store.js';
export type { ShardLayout } from './event-store/shard-map.js';
export { ShardedD1EventStore, type ShardedD1EventStoreOptions } from './event-store/sharded-event-store.js';
export type { EventSubscriber, OutboxReport } from './outbox/outbox.js';
export { aggregateCommandSender } from './process/aggregate-command-sender.js';
export {
  type ProcessAdmin,
  type ProcessDeliveryReport,
  type ProcessEntrypointClass,
  type ProcessEntrypointOptions,
  type ProcessOrdering,
  type ProcessSweepOptions,
  processEntrypoint,
  type RedriveRange,
  type RedriveReport,
  type SweepReport,
} from './process/process-entrypoint.js';
export type { ProcessStatus } from './process/process-status.js';
export {
  runSaga,
  Saga,
  type SagaOutcome,
  type SagaTracing,
  sagaInstanceId,
  startWorkflowOnce,
} from './process/saga-workflow.js';
export {
  type ProjectionClient,
  type ProjectionClients,
  type ProjectionOf,
  type ProjectionQueryReplies,
  projectionClients,
} from './projection/projection-client.js';
export {
  type DeliveryReport,
  type ProjectionAdmin,
  type ProjectionEntrypointClass,
  type ProjectionEntrypointOptions,
  projectionEntrypoint,
} from './projection/projection-entrypoint.js';
export type { EventLogSettings } from './projection/projection-event-log.js';
export type { ProjectionStatus, RebuildStatus, StuckStream } from './projection/projection-status.js';
export {
  enforceRateLimit,
  localRateLimiter,
  RateLimited,
  type RateLimiter,
  type RateLimitRule,
  rateLimiter,
} from './rate-limit/rate-limiter.js';
export type { RpcReply } from './rpc/error-encoding.js';
export {
  type ClaimOwner,
  type UniquenessOptions,
  UniqueValueClaims,
  type UniqueValueLookup,
  uniqueValueOwner,
} from './uniqueness/index.js';
