import { EscfError, type EscfErrorOptions } from './escf-error.js';

/**
 * An expected outcome of business rules: the command was understood but the
 * aggregate refuses it. Throw it (or a subclass) from a `@Command` method.
 * Domain errors are answers, not bugs: hosts return them to the caller with
 * their code intact and store nothing.
 *
 * @example
 * ```ts
 * if (this.state.emailVerification.expiresAt < Date.now())
 *   throw new DomainError('The verification link has expired', { code: 'VERIFICATION_EXPIRED' });
 * ```
 */
export class DomainError extends EscfError {
  override readonly name: string = 'DomainError';
  readonly code: string;

  constructor(message: string, options: EscfErrorOptions & { readonly code: string }) {
    super(message, options);
    this.code = options.code;
  }
}

/** The addressed thing does not exist (HTTP 404). Code `NOT_FOUND`. */
export class NotFound extends DomainError {
  override readonly name: string = 'NotFound';
  constructor(message = 'Not found', options: EscfErrorOptions = {}) {
    super(message, { ...options, code: options.code ?? 'NOT_FOUND' });
  }
}

/** The command contradicts the current state, e.g. "already exists" (HTTP 409). Code `CONFLICT`. */
export class Conflict extends DomainError {
  override readonly name: string = 'Conflict';
  constructor(message = 'Conflict', options: EscfErrorOptions = {}) {
    super(message, { ...options, code: options.code ?? 'CONFLICT' });
  }
}

/** The caller is known but not allowed to do this (HTTP 403). Code `FORBIDDEN`. */
export class Forbidden extends DomainError {
  override readonly name: string = 'Forbidden';
  constructor(message = 'Forbidden', options: EscfErrorOptions = {}) {
    super(message, { ...options, code: options.code ?? 'FORBIDDEN' });
  }
}

/** The caller could not prove who they are, e.g. a wrong password (HTTP 401). Code `UNAUTHORIZED`. */
export class Unauthorized extends DomainError {
  override readonly name: string = 'Unauthorized';
  constructor(message = 'Unauthorized', options: EscfErrorOptions = {}) {
    super(message, { ...options, code: options.code ?? 'UNAUTHORIZED' });
  }
}
