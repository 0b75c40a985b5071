import type { CommandResult } from '../client/command-types.js';
import { EscfError, type EscfErrorOptions } from './escf-error.js';

/**
 * A command that asked to wait for delivery (`executeSync`, `{ sync: true }`
 * clients) IS committed, but its events have not yet reached D1 or every
 * synchronous subscriber. Code `DELIVERY_PENDING`. It is not a refusal: the
 * events are safe in the aggregate's outbox and its alarm delivers them. Do
 * not run the command again (that would be a second command); `result` is
 * the committed result, and a retry with the same idempotency key returns it.
 * HTTP answers it with 202 Accepted.
 */
export class DeliveryPendingError extends EscfError {
  override readonly name = 'DeliveryPendingError';
  readonly code = 'DELIVERY_PENDING';
  declare readonly details: { readonly version: number; readonly reason: string; readonly result?: CommandResult };

  constructor(message: string, options: EscfErrorOptions<{ version: number; reason: string; result?: CommandResult }>) {
    super(message, options);
  }

  /** The committed command's result, when the host attached it. */
  get result(): CommandResult | undefined {
    return this.details?.result;
  }
}
