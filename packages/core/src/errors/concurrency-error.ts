import { Conflict } from './domain-error.js';

/**
 * Optimistic concurrency failed: the caller expected the stream at one
 * version but it is at another. Code `CONCURRENCY_CONFLICT` (HTTP 409).
 * Reload and retry.
 */
export class ConcurrencyError extends Conflict {
  override readonly name = 'ConcurrencyError';
  readonly expectedVersion: number;
  readonly actualVersion: number;

  constructor(expectedVersion: number, actualVersion: number, stream?: string) {
    super(
      `Expected ${stream ?? 'the stream'} at version ${expectedVersion} but it is at version ${actualVersion}`,
      { expectedVersion, actualVersion, ...(stream ? { stream } : {}) },
      'CONCURRENCY_CONFLICT',
    );
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}
