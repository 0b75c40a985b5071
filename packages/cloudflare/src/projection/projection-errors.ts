import { EscfError, type EscfErrorOptions } from '@escf/core';

/**
 * The event store does not (yet) hold the events between a projection's
 * checkpoint and a delivered event. Code `PROJECTION_GAP`; the delivery is
 * retried.
 */
export class ProjectionGapError extends EscfError {
  override readonly name = 'ProjectionGapError';
  readonly code = 'PROJECTION_GAP';
  constructor(message: string, options: EscfErrorOptions = {}) {
    super(message, options);
  }

  /** The error for a delivery of version `delivered` at `checkpoint`, where the store returned `found` of the missing events. */
  static at(
    projection: string,
    stream: string,
    checkpoint: number,
    delivered: number,
    found: number,
  ): ProjectionGapError {
    return new ProjectionGapError(
      `Projection '${projection}' got version ${delivered} of ${stream} at checkpoint ${checkpoint}, but the event store returned ${found} of the ${delivered - checkpoint - 1} missing events`,
      { details: { projection, stream, checkpoint, delivered, found } },
    );
  }
}

/**
 * A projection handler threw. Code `PROJECTION_HANDLER_FAILED`; carries the
 * stream, version and event id so that status and logs name the stuck event.
 */
export class ProjectionHandlerError extends EscfError {
  override readonly name = 'ProjectionHandlerError';
  readonly code = 'PROJECTION_HANDLER_FAILED';
  constructor(message: string, options: EscfErrorOptions = {}) {
    super(message, options);
  }

  /** The error for `where` (a handler), which threw `cause` on `event` of `stream`. */
  static of(
    projection: string,
    where: string,
    event: { id: string; type: string; version: number },
    stream: string,
    cause: unknown,
  ): ProjectionHandlerError {
    return new ProjectionHandlerError(
      `Projection '${projection}': ${where} failed on ${event.type} v${event.version} of ${stream} (${event.id}): ${messageOf(cause)}`,
      {
        details: { projection, stream, eventId: event.id, eventType: event.type, version: event.version },
        cause,
      },
    );
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
