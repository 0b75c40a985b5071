/**
 * @escf/core — the runtime-independent heart of ESCF: aggregates, commands,
 * events, projections, processes and the errors they throw. Imports nothing
 * from Cloudflare; domain code that imports only this package runs in Node.
 *
 * This root holds what application code writes. Advanced parts live at
 * subpaths: `@escf/core/retention` (retention policies),
 * `@escf/core/upcast` (reading stored events by hand), `@escf/core/store`
 * (the `EventStore` contract, for implementers). docs/api.md lists them.
 *
 * @packageDocumentation
 */
export { Aggregate, type AggregateClass, type StateOf } from './aggregate/aggregate.js';
export {
  Command,
  type CommandDecorator,
  type CommandMethod,
  type CommandOptions,
  type CommandReturn,
} from './aggregate/command.decorator.js';
export { EventHandler, type EventHandlerDecorator } from './aggregate/event-handler.decorator.js';
export type { CommandAuthorization, GuardContext } from './auth/command-authorization.js';
export type { Principal } from './auth/principal.js';
export type {
  AggregateClient,
  CommandInput,
  CommandNames,
  CommandResult,
  ExecuteOptions,
} from './client/command-types.js';
export { type Clock, systemClock } from './clock/clock.js';
export { ConcurrencyError } from './errors/concurrency-error.js';
export { DefinitionError } from './errors/definition-error.js';
export { DeliveryPendingError } from './errors/delivery-pending-error.js';
export { Conflict, DomainError, Forbidden, NotFound, Unauthorized } from './errors/domain-error.js';
export { DtoSupportMissingError } from './errors/dto-support-missing-error.js';
export { EscfError, type EscfErrorOptions, type SerializedError } from './errors/escf-error.js';
export { IdempotencyKeyReusedError } from './errors/idempotency-key-reused-error.js';
export {
  EventTooLargeError,
  InternalError,
  InvalidEventError,
  StateMutationError,
  UnknownCommandError,
} from './errors/runtime-errors.js';
export { SyncNotDeclaredError } from './errors/sync-not-declared-error.js';
export { UpcastError } from './errors/upcast-error.js';
export { ValidationError, type ValidationIssue } from './errors/validation-error.js';
export { defineEvent, type SchemaEvent, type SchemaEventClass } from './events/define-event.js';
export { DomainEvent, type EventClass, type EventProps, type PayloadOf } from './events/domain-event.js';
export type { Envelope, EventEnvelope, EventMetadata } from './events/envelope.js';
export { Event } from './events/event.decorator.js';
export type { EventDefinition, EventOptions } from './events/event-definition.js';
export { jsonConsoleLogger, type Logger, type LogLevel, type LogRecord, setLogger } from './observability/logger.js';
export { Process, type ProcessMetadata } from './process/process.decorator.js';
export {
  type CommandSender,
  type CommandTarget,
  type ProcessCommands,
  type ProcessHandlerContext,
  type ProcessTriggerContext,
  processCommandsFor,
} from './process/process-commands.js';
export { OnCron, OnHttp, OnQueue, type ProcessTrigger, type TriggerDecorator } from './process/process-triggers.js';
export { Projection, type ProjectionMetadata } from './projection/projection.decorator.js';
export type {
  ProjectionClass,
  ProjectionHandlerResult,
  ProjectionQueries,
  ProjectionStatement,
} from './projection/projection-types.js';
export type { DtoClass, InferInputOf, InferOutput, InputDefinition } from './schema/input-definition.js';
export { type ValidationOutcome, validateAgainst } from './schema/validate.js';
export { normalizeUniqueValue, type UniqueValues } from './uniqueness/unique-values.js';
export { type Lens, LensChain, upcast } from './upcast/lens.js';
export { type RetiredEventReader, retiredEvent } from './upcast/retired-event.js';
export { type LensContext, StreamFold, type StreamFoldHandler, streamFold } from './upcast/stream-fold.js';
export { Upcast } from './upcast/upcast.decorator.js';
