import { EscfError, type EscfErrorOptions } from './escf-error.js';

/**
 * An idempotency key came back with a different command or input than the
 * one it first ran. Code `IDEMPOTENCY_KEY_REUSED` (HTTP 422, as the IETF
 * Idempotency-Key draft and Stripe answer). Nothing runs and nothing is
 * stored: returning the earlier, unrelated result would be silently wrong.
 */
export class IdempotencyKeyReusedError extends EscfError {
  override readonly name = 'IdempotencyKeyReusedError';
  readonly code = 'IDEMPOTENCY_KEY_REUSED';

  constructor(message: string, options: EscfErrorOptions = {}) {
    super(message, options);
  }

  /** The error for a reused `key`. */
  static forKey(key: string): IdempotencyKeyReusedError {
    return new IdempotencyKeyReusedError(
      `Idempotency key '${key}' was already used for a different command or input. Use a new key for a new request.`,
      { details: { idempotencyKey: key } },
    );
  }
}
