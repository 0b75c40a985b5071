/**
 * @escf/core/internal — what ESCF's own packages (`@escf/cloudflare`,
 * `@escf/testing`, `@escf/hono`, `@escf/cli`) share. NOT public API: it
 * changes in any release without notice. Application code never needs it;
 * if you do, open an issue so the need gets a public home.
 *
 * @packageDocumentation
 */

export { authorizeCommand } from './auth/command-authorization.js';
export { isPrincipal } from './auth/principal.js';
export { aggregateClientOf, methodProxy } from './client/method-proxy.js';
export {
  bindingPrefix,
  constantCase,
  deadLetterQueueName,
  durableObjectBinding,
  durableObjectClassName,
  EVENT_STORE_BINDING,
  EVENT_STORE_TABLE,
  eventStoreShardBinding,
  kebabCase,
  reactorBindings,
} from './conventions/naming.js';
export {
  type ApplicableEvent,
  type CommandContext,
  CommandEngine,
  type Decision,
  engineFor,
} from './engine/command-engine.js';
export {
  type CommandPipelinePort,
  type PipelineCommand,
  type PipelineCommit,
  runCommandPipeline,
} from './engine/command-pipeline.js';
export { assertEventsFit, QUEUE_EVENT_MAX_BYTES, STORED_EVENT_MAX_BYTES } from './engine/event-size-limit.js';
export { idempotencyFingerprint } from './engine/idempotency-fingerprint.js';
export { httpStatusOf, httpStatusOfCode } from './errors/http-status.js';
export { deserializeError, isSerializedError, serializeError } from './errors/serialize-error.js';
export { eventDefinitionOf } from './events/event.decorator.js';
export { newId } from './events/event-id.js';
export { redactSensitive } from './events/redact-sensitive.js';
export {
  COMMAND_LATENCY_BOUNDS_MS,
  type CommandCount,
  CommandMetrics,
  type CommandMetricsSnapshot,
  type CommandOutcome,
  commandOutcomeOf,
  type LatencyHistogram,
  latencyPercentile,
} from './observability/command-metrics.js';
export { log } from './observability/logger.js';
export {
  batchSpanOptions,
  carrierOf,
  currentTraceCarrier,
  EscfAttribute,
  flushTraces,
  inSpan,
  recordError,
  SpanKind,
  type SpanOptions,
  setTraceFlush,
  setTracingEnabled,
  type TraceCarrier,
  tracingEnabled,
  type WaitUntil,
  withTraceMetadata,
} from './observability/tracing.js';
export { describeProcess, type ProcessDescriptor } from './process/describe-process.js';
export { describeProjection, type ProjectionDescriptor } from './projection/describe-projection.js';
export type { ReactorHandler } from './projection/reactor-handlers.js';
export type { AggregateDescriptor, CommandDescriptor, ReducerDescriptor } from './registry/aggregate-descriptor.js';
export { describeAggregate } from './registry/describe-aggregate.js';
export { createRegistry, type Registry, type SystemDefinition } from './registry/registry.js';
export {
  type ArchivePlan,
  type ArchivePlanContext,
  batchStreamKey,
  planArchive,
  type StoredBatch,
  streamsNeedingSnapshots,
} from './retention/archive-plan.js';
export { archivesAnything, daysToMs, policyFor, prunesDurableObjects } from './retention/retention-policy.js';
export { dtoJsonSchema } from './schema/dto-json-schema.js';
export { isDtoClass, isStandardSchema } from './schema/input-definition.js';
export { inputJsonSchema } from './schema/input-json-schema.js';
export { streamKey } from './store/event-store.js';
export { uniqueValuesHeld, uniqueValuesOf } from './uniqueness/unique-values.js';
export { lensChainOf } from './upcast/upcast.decorator.js';
