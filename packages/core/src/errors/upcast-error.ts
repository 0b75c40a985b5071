import { EscfError } from './escf-error.js';

/**
 * A stored event could not be read as the current shape: a lens threw, the
 * result failed the current schema, or the event was written by newer code
 * at a version this code cannot downcast from. Code `UPCAST_FAILED`. The
 * stored event is never changed.
 */
export class UpcastError extends EscfError {
  override readonly name = 'UpcastError';
  readonly code = 'UPCAST_FAILED';

  constructor(
    reason: string,
    event: { readonly id?: string | undefined; readonly type: string; readonly schemaVersion: number },
    details: Record<string, unknown> = {},
  ) {
    super(
      `Cannot read event ${event.id ?? '(no id)'} of type '${event.type}' stored at version ${event.schemaVersion}: ${reason}`,
      { eventId: event.id, type: event.type, storedVersion: event.schemaVersion, ...details },
    );
  }
}
