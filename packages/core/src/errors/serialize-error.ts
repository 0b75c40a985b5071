import { ConcurrencyError } from './concurrency-error.js';
import { DeliveryPendingError } from './delivery-pending-error.js';
import { Conflict, DomainError, Forbidden, NotFound, Unauthorized } from './domain-error.js';
import { DtoSupportMissingError } from './dto-support-missing-error.js';
import { EscfError, type EscfErrorOptions, type SerializedError } from './escf-error.js';
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
import { ValidationError } from './validation-error.js';

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

type Revivable = new (message: string, options: EscfErrorOptions<any>) => EscfError;

/** Every error class takes `(message, { code, details })`, so one rule rebuilds each; keyed by `name`. */
const classes: Record<string, Revivable> = {
  ValidationError,
  ConcurrencyError,
  NotFound,
  Conflict,
  Forbidden,
  Unauthorized,
  InternalError,
  IdempotencyKeyReusedError,
  SyncNotDeclaredError,
  DtoSupportMissingError,
  DeliveryPendingError,
  UnknownCommandError,
  StateMutationError,
  InvalidEventError,
  EventTooLargeError,
  UpcastError,
};

/** Classes rebuilt by code when the name is not one of the above (e.g. a subclass of a known class). */
const byCode: Record<string, Revivable> = {
  UNKNOWN_COMMAND: UnknownCommandError,
  STATE_MUTATION: StateMutationError,
  INVALID_EVENT: InvalidEventError,
  EVENT_TOO_LARGE: EventTooLargeError,
  UPCAST_FAILED: UpcastError,
};

/**
 * The inverse of {@link serializeError}: returns an instance of the same
 * ESCF error class (so `instanceof NotFound` works on the caller's side).
 * Unknown names with a code become a {@link DomainError} with that code.
 */
export function deserializeError(serialized: SerializedError): EscfError {
  const options = {
    code: serialized.code,
    ...(serialized.details === undefined ? {} : { details: { ...serialized.details } }),
  };
  const ErrorClass = classes[serialized.name] ?? byCode[serialized.code];
  if (ErrorClass) return new ErrorClass(serialized.message, options);
  return new DomainError(serialized.message, { ...options, code: serialized.code || 'INTERNAL' });
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
