import { Conflict } from './domain-error.js';
import type { EscfErrorOptions } from './escf-error.js';

/**
 * Optimistic concurrency failed: the caller expected the stream at one
 * version but it is at another. Code `CONCURRENCY_CONFLICT` (HTTP 409).
 * Reload and retry. {@link ConcurrencyError.between} builds one with the
 * standard message.
 */
export class ConcurrencyError extends Conflict {
  override readonly name = 'ConcurrencyError';
  declare readonly details: {
    readonly expectedVersion: number;
    readonly actualVersion: number;
    readonly stream?: string;
  };

  constructor(
    message: string,
    options: EscfErrorOptions<{ expectedVersion: number; actualVersion: number; stream?: string }>,
  ) {
    super(message, { ...options, code: 'CONCURRENCY_CONFLICT' });
  }

  /** The version the caller expected. */
  get expectedVersion(): number {
    return Number(this.details?.expectedVersion);
  }

  /** The version the stream is at. */
  get actualVersion(): number {
    return Number(this.details?.actualVersion);
  }

  /** The error for a stream expected at `expectedVersion` that is at `actualVersion`. */
  static between(expectedVersion: number, actualVersion: number, stream?: string): ConcurrencyError {
    return new ConcurrencyError(
      `Expected ${stream ?? 'the stream'} at version ${expectedVersion} but it is at version ${actualVersion}`,
      { details: { expectedVersion, actualVersion, ...(stream ? { stream } : {}) } },
    );
  }
}
