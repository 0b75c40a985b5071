/**
 * @escf/core/internal — what ESCF's own packages (`@escf/cloudflare`,
 * `@escf/testing`, `@escf/hono`, `@escf/cli`) share. NOT public API: it
 * changes in any release without notice. Application code never needs it;
 * if you do, open an issue so the need gets a public home.
 *
 * @packageDocumentation
 */
export { CommandEngine, engineFor, type ApplicableEvent, type CommandContext, type Decision } from './engine/command-engine.js';
export { createRegistry, type Registry, type SystemDefinition } from './registry/registry.js';
export { describeAggregate } from './registry/describe-aggregate.js';
export type { AggregateDescriptor, CommandDescriptor, ReducerDescriptor } from './registry/aggregate-descriptor.js';
export { describeProjection, type ProjectionDescriptor } from './projection/describe-projection.js';
export { bindingPrefix, type ReactorHandler } from './projection/reactor-handlers.js';
export { describeProcess, type ProcessDescriptor } from './process/describe-process.js';
export { eventDefinitionOf } from './events/event.decorator.js';
export { newId } from './events/event-id.js';
export { isDtoClass, isStandardSchema } from './schema/input-definition.js';
export { streamKey } from './store/event-store.js';
export { deserializeError, isSerializedError, serializeError } from './errors/serialize-error.js';
export { archivesAnything, daysToMs, policyFor, prunesDurableObjects } from './retention/retention-policy.js';
export { batchStreamKey, planArchive, streamsNeedingSnapshots, type ArchivePlan, type ArchivePlanContext, type StoredBatch } from './retention/archive-plan.js';
export { isPrincipal } from './auth/principal.js';
export { authorizeCommand } from './auth/command-authorization.js';
export { uniqueValuesHeld, uniqueValuesOf } from './uniqueness/unique-values.js';
export { idempotencyFingerprint } from './engine/idempotency-fingerprint.js';
export { lensChainOf } from './upcast/upcast.decorator.js';
export { inputJsonSchema } from './schema/input-json-schema.js';
export { dtoJsonSchema } from './schema/dto-json-schema.js';
export { log } from './observability/logger.js';
export { redactSensitive } from './events/redact-sensitive.js';
