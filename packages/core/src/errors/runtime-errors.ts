import { EscfError } from './escf-error.js';

/** The aggregate has no `@Command` of that name. Code `UNKNOWN_COMMAND`. */
export class UnknownCommandError extends EscfError {
  override readonly name = 'UnknownCommandError';
  readonly code = 'UNKNOWN_COMMAND';
  constructor(aggregateType: string, command: string, known: readonly string[]) {
    super(`${aggregateType} has no command "${command}". Known commands: ${known.join(', ') || '(none)'}`, {
      aggregateType,
      command,
      known: [...known],
    });
  }
}

/**
 * A `@Command` method changed `this.state` in place instead of returning
 * events. Code `STATE_MUTATION`. State changes only through `@EventHandler`s.
 */
export class StateMutationError extends EscfError {
  override readonly name = 'StateMutationError';
  readonly code = 'STATE_MUTATION';
  constructor(where: string, cause: string) {
    super(
      `${where} tried to change state directly (${cause}). State is read-only: return events from commands and a new state from @EventHandler methods.`,
      { where },
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
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details);
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
  constructor(message = 'Internal error', details?: Record<string, unknown>) {
    super(message, details);
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
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details);
  }
}
