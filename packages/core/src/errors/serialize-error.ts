import { ConcurrencyError } from './concurrency-error.js';
import { DeliveryPendingError } from './delivery-pending-error.js';
import { Conflict, DomainError, Forbidden, NotFound, Unauthorized } from './domain-error.js';
import { EscfError, type SerializedError } from './escf-error.js';
import { IdempotencyKeyReusedError } from './idempotency-key-reused-error.js';
import {
  EventTooLargeError,
  InternalError,
  InvalidEventError,
  StateMutationError,
  UnknownCommandError,
} from './runtime-errors.js';
import { SyncNotDeclaredError } from './sync-not-declared-error.js';
import { UpcastError } from './upcast-error.js';
import { ValidationError, type ValidationIssue } from './validation-error.js';

/**
 * Turns anything thrown into the JSON-safe {@link SerializedError}. ESCF
 * errors keep their code and details; anything else becomes `INTERNAL`
 * (its message is kept, its stack is not: stacks do not cross boundaries).
 */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof EscfError) return error.toJSON();
  if (error instanceof Error) return new InternalError(error.message).toJSON();
  return new InternalError(String(error)).toJSON();
}

/** Rebuilds each error class from its serialized form; keyed by `name`. */
const revivers: Record<string, (e: SerializedError) => EscfError> = {
  ValidationError: (e) => new ValidationError(e.message, (e.details?.issues as ValidationIssue[]) ?? []),
  ConcurrencyError: (e) =>
    new ConcurrencyError(
      Number(e.details?.expectedVersion),
      Number(e.details?.actualVersion),
      typeof e.details?.stream === 'string' ? e.details.stream : undefined,
    ),
  NotFound: (e) => new NotFound(e.message, e.details),
  Conflict: (e) => new Conflict(e.message, e.details, e.code),
  Forbidden: (e) => new Forbidden(e.message, e.details),
  Unauthorized: (e) => new Unauthorized(e.message, e.details),
  InternalError: (e) => new InternalError(e.message, e.details),
  IdempotencyKeyReusedError: (e) => new IdempotencyKeyReusedError(e.message, e.details),
  SyncNotDeclaredError: (e) =>
    new SyncNotDeclaredError(e.message, e.details as unknown as ConstructorParameters<typeof SyncNotDeclaredError>[1]),
  DeliveryPendingError: (e) =>
    new DeliveryPendingError(e.message, e.details as unknown as ConstructorParameters<typeof DeliveryPendingError>[1]),
};

/** Error classes whose constructors do not take (code, message, details). */
const byCode: Record<string, (e: SerializedError) => EscfError> = {
  UNKNOWN_COMMAND: (e) => withMessage(new UnknownCommandError('', '', []), e),
  STATE_MUTATION: (e) => withMessage(new StateMutationError('', ''), e),
  INVALID_EVENT: (e) => new InvalidEventError(e.message, e.details),
  EVENT_TOO_LARGE: (e) => new EventTooLargeError(e.message, e.details),
  UPCAST_FAILED: (e) => withMessage(new UpcastError('', { type: '', schemaVersion: 0 }), e),
};

function withMessage<E extends EscfError>(error: E, from: SerializedError): E {
  Object.defineProperty(error, 'message', { value: from.message });
  Object.defineProperty(error, 'details', { value: from.details });
  return error;
}

/**
 * The inverse of {@link serializeError}: returns an instance of the same
 * ESCF error class (so `instanceof NotFound` works on the caller's side).
 * Unknown names with a code become a {@link DomainError} with that code.
 */
export function deserializeError(serialized: SerializedError): EscfError {
  const revive = revivers[serialized.name] ?? byCode[serialized.code];
  if (revive) return revive(serialized);
  return new DomainError(serialized.code || 'INTERNAL', serialized.message, serialized.details);
}

/** True when a value has the shape of a {@link SerializedError}. */
export function isSerializedError(value: unknown): value is SerializedError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SerializedError).code === 'string' &&
    typeof (value as SerializedError).message === 'string' &&
    typeof (value as SerializedError).name === 'string'
  );
}
