import { EscfError, type EscfErrorOptions } from '@escf/core';

/**
 * The event store does not (yet) hold the events between an ordered
 * process's checkpoint and a delivered event. Code `PROCESS_GAP`; the
 * delivery is retried.
 */
export class ProcessGapError extends EscfError {
  override readonly name = 'ProcessGapError';
  readonly code = 'PROCESS_GAP';
  constructor(message: string, options: EscfErrorOptions = {}) {
    super(message, options);
  }

  /** The error for a delivery of version `delivered` at `checkpoint`, where the store returned `found` of the missing events. */
  static at(process: string, stream: string, checkpoint: number, delivered: number, found: number): ProcessGapError {
    return new ProcessGapError(
      `Process '${process}' got version ${delivered} of ${stream} at checkpoint ${checkpoint}, but the event store returned ${found} of the ${delivered - checkpoint - 1} missing events`,
      { details: { process, stream, checkpoint, delivered, found } },
    );
  }
}

/**
 * A process handler threw. Code `PROCESS_HANDLER_FAILED`; carries the
 * stream, version and event id so that status and logs name the stuck event.
 */
export class ProcessHandlerError extends EscfError {
  override readonly name = 'ProcessHandlerError';
  readonly code = 'PROCESS_HANDLER_FAILED';
  constructor(message: string, options: EscfErrorOptions = {}) {
    super(message, options);
  }

  /** The error for `where` (a handler), which threw `cause` on `event` of `stream`. */
  static of(
    process: string,
    where: string,
    event: { id: string; type: string; version: number },
    stream: string,
    cause: unknown,
  ): ProcessHandlerError {
    return new ProcessHandlerError(
      `Process '${process}': ${where} failed on ${event.type} v${event.version} of ${stream} (${event.id}): ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        details: { process, stream, eventId: event.id, eventType: event.type, version: event.version },
        cause,
      },
    );
  }
}
