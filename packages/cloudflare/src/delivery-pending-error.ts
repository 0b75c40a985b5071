import { DomainError } from '@escf/core';

/**
 * `executeSync` committed the command but could not yet deliver its events to
 * D1 or to every synchronous subscriber. Code `DELIVERY_PENDING`. The events
 * are safe in the aggregate's outbox and will be delivered by its alarm; the
 * command must not be retried blindly (retry with the same idempotency key to
 * get the same result). `details.version` is the aggregate's version.
 */
export const DELIVERY_PENDING = 'DELIVERY_PENDING';

/** Builds the {@link DELIVERY_PENDING} error. It crosses RPC as a `DomainError` with that code. */
export function deliveryPending(version: number, reason: string): DomainError {
  return new DomainError(DELIVERY_PENDING, `Command committed (version ${version}) but delivery is pending: ${reason}`, {
    version,
    reason,
  });
}
