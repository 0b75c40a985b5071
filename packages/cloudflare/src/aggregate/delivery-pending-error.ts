import { type CommandResult, DeliveryPendingError } from '@escf/core';

/** The code of {@link DeliveryPendingError}: committed, not yet delivered everywhere. */
export const DELIVERY_PENDING = 'DELIVERY_PENDING';

/** The error `executeSync` answers when a committed command's delivery failed for now. */
export function deliveryPending(result: CommandResult, reason: string): DeliveryPendingError {
  return new DeliveryPendingError(`Command committed (version ${result.version}) but delivery is pending: ${reason}`, {
    details: {
      version: result.version,
      reason,
      result,
    },
  });
}
