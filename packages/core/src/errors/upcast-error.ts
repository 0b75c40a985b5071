import { EscfError, type EscfErrorOptions } from './escf-error.js';

/**
 * A stored event could not be read as the current shape: a lens threw, the
 * result failed the current schema, or the event was written by newer code
 * at a version this code cannot downcast from. Code `UPCAST_FAILED`. The
 * stored event is never changed. {@link UpcastError.of} builds one with the
 * standard message.
 */
export class UpcastError extends EscfError {
  override readonly name = 'UpcastError';
  readonly code = 'UPCAST_FAILED';

  constructor(message: string, options: EscfErrorOptions = {}) {
    super(message, options);
  }

  /** The error for `event`, which could not be read because of `reason`. */
  static of(
    reason: string,
    event: { readonly id?: string | undefined; readonly type: string; readonly schemaVersion: number },
    options: EscfErrorOptions = {},
  ): UpcastError {
    return new UpcastError(
      `Cannot read event ${event.id ?? '(no id)'} of type '${event.type}' stored at version ${event.schemaVersion}: ${reason}`,
      {
        ...options,
        details: { eventId: event.id, type: event.type, storedVersion: event.schemaVersion, ...options.details },
      },
    );
  }
}
