import { EscfError, type EscfErrorOptions } from './escf-error.js';

/**
 * The aggregate has no `@Command` of that name. Code `UNKNOWN_COMMAND`.
 * {@link UnknownCommandError.of} builds one with the standard message.
 */
export class UnknownCommandError extends EscfError {
  override readonly name = 'UnknownCommandError';
  readonly code = 'UNKNOWN_COMMAND';
  constructor(message: string, options: EscfErrorOptions = {}) {
    super(message, options);
  }

  /** The error for `command`, which `aggregateType` does not have. */
  static of(aggregateType: string, command: string, known: readonly string[]): UnknownCommandError {
    return new UnknownCommandError(
      `${aggregateType} has no command "${command}". Known commands: ${known.join(', ') || '(none)'}`,
      { details: { aggregateType, command, known: [...known] } },
    );
  }
}

/**
 * A `@Command` method changed `this.state` in place instead of returning
 * events. Code `STATE_MUTATION`. State changes only through `@EventHandler`s.
 * {@link StateMutationError.in} builds one with the standard message.
 */
export class StateMutationError extends EscfError {
  override readonly name = 'StateMutationError';
  readonly code = 'STATE_MUTATION';
  constructor(message: string, options: EscfErrorOptions = {}) {
    super(message, options);
  }

  /** The error for `where` (e.g. `User.create`), which changed state directly; `reason` says how. */
  static in(where: string, reason: string, cause?: unknown): StateMutationError {
    return new StateMutationError(
      `${where} tried to change state directly (${reason}). State is read-only: return events from commands and a new state from @EventHandler methods.`,
      { details: { where }, ...(cause === undefined ? {} : { cause }) },
    );
  }
}

/**
 * A command produced an event that is not valid (a bug in the aggregate, not
 * bad input) or that the aggregate cannot apply. Code `INVALID_EVENT`.
 */
export class InvalidEventError extends EscfError {
  override readonly name = 'InvalidEventError';
  readonly code = 'INVALID_EVENT';
  constructor(message: string, options: EscfErrorOptions = {}) {
    super(message, options);
  }
}

/**
 * An unexpected failure (a bug or an outage). Code `INTERNAL`. Hosts wrap
 * non-ESCF errors in it before they cross a boundary so callers always get
 * a code.
 */
export class InternalError extends EscfError {
  override readonly name = 'InternalError';
  readonly code = 'INTERNAL';
  constructor(message = 'Internal error', options: EscfErrorOptions = {}) {
    super(message, options);
  }
}

/**
 * A command produced an event larger than the platform can carry (a queue
 * message holds 128 KB, a stored row 2 MB). Code `EVENT_TOO_LARGE` (HTTP
 * 413). Raised before anything is stored, so it is never discovered later
 * in the outbox; store large content elsewhere (e.g. R2) and reference it.
 */
export class EventTooLargeError extends EscfError {
  override readonly name = 'EventTooLargeError';
  readonly code = 'EVENT_TOO_LARGE';
  constructor(message: string, options: EscfErrorOptions = {}) {
    super(message, options);
  }
}
