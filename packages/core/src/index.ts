/**
 * @escf/core — the runtime-independent heart of ESCF: aggregates, commands,
 * events, the metadata registry and the pure command engine. Imports nothing
 * from Cloudflare; domain code that imports only this package runs in Node.
 *
 * @packageDocumentation
 */
export { Aggregate, type AggregateClass, type StateOf } from './aggregate/aggregate.js';
export { Command, type CommandOptions, type CommandReturn } from './aggregate/command.decorator.js';
export { EventHandler, type EventHandlerDecorator } from './aggregate/event-handler.decorator.js';
export { isPrincipal, type Principal } from './auth/principal.js';
export { normalizeUniqueValue, uniqueValuesHeld, uniqueValuesOf, type UniqueValues } from './uniqueness/unique-values.js';
export { authorizeCommand, type CommandAuthorization, type GuardContext } from './auth/command-authorization.js';

export { DomainEvent, type EventClass, type EventProps, type PayloadOf } from './events/domain-event.js';
export { Event, eventDefinitionOf } from './events/event.decorator.js';
export { defineEvent, type SchemaEvent, type SchemaEventClass } from './events/define-event.js';
export type { EventDefinition, EventOptions } from './events/event-definition.js';
export type { Envelope, EventEnvelope, EventMetadata } from './events/envelope.js';
export { newId } from './events/event-id.js';
export { redactSensitive } from './events/redact-sensitive.js';

export { isDtoClass, isStandardSchema, type DtoClass, type InferInputOf, type InferOutput, type InputDefinition } from './schema/input-definition.js';
export { validateAgainst, type ValidationOutcome } from './schema/validate.js';

export { CommandEngine, engineFor, type ApplicableEvent, type CommandContext, type Decision } from './engine/command-engine.js';
export { createRegistry, type Registry, type SystemDefinition } from './registry/registry.js';
export { describeAggregate } from './registry/describe-aggregate.js';
export type { AggregateDescriptor, CommandDescriptor, ReducerDescriptor } from './registry/aggregate-descriptor.js';

export type {
  AggregateClient,
  CommandInput,
  CommandNames,
  CommandResult,
  ExecuteOptions,
} from './client/command-types.js';
export {
  assertStreamNumbering,
  streamKey,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StreamId,
} from './store/event-store.js';

export { upcast, LensChain, type Lens } from './upcast/lens.js';
export { Upcast } from './upcast/upcast.decorator.js';
export { retiredEvent, type RetiredEventReader, type StoredEventReading } from './upcast/retired-event.js';
export { Upcaster, type StoredEvent, type UpcastReading } from './upcast/upcaster.js';

export { EscfError, type SerializedError } from './errors/escf-error.js';
export { Conflict, DomainError, Forbidden, NotFound, Unauthorized } from './errors/domain-error.js';
export { ValidationError, type ValidationIssue } from './errors/validation-error.js';
export { ConcurrencyError } from './errors/concurrency-error.js';
export { EventTooLargeError, InternalError, InvalidEventError, StateMutationError, UnknownCommandError } from './errors/runtime-errors.js';
export { DefinitionError } from './errors/definition-error.js';
export { UpcastError } from './errors/upcast-error.js';
export { deserializeError, isSerializedError, serializeError } from './errors/serialize-error.js';

export { Projection, type ProjectionMetadata } from './projection/projection.decorator.js';
export { describeProjection, type ProjectionDescriptor } from './projection/describe-projection.js';
export type { ProjectionClass, ProjectionHandlerResult, ProjectionQueries, ProjectionStatement } from './projection/projection-types.js';
export { bindingPrefix, type ReactorHandler } from './projection/reactor-handlers.js';
export { Process, type ProcessMetadata } from './process/process.decorator.js';
export { OnCron, OnHttp, OnQueue, type ProcessTrigger } from './process/process-triggers.js';
export { describeProcess, type ProcessDescriptor } from './process/describe-process.js';
export {
  processCommandsFor,
  type CommandSender,
  type CommandTarget,
  type ProcessCommands,
  type ProcessHandlerContext,
  type ProcessTriggerContext,
} from './process/process-commands.js';

export {
  archivesAnything,
  daysToMs,
  defineRetention,
  policyFor,
  prunesDurableObjects,
  retention,
  type ResolvedRetention,
  type RetentionConfig,
  type RetentionPolicy,
} from './retention/retention-policy.js';
export { batchStreamKey, planArchive, streamsNeedingSnapshots, type ArchivePlan, type ArchivePlanContext, type StoredBatch } from './retention/archive-plan.js';
