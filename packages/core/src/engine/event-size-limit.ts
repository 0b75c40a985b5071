import { EventTooLargeError } from '../errors/runtime-errors.js';
import type { EventEnvelope } from '../events/envelope.js';
import { utf8ByteLength } from '../platform/web-globals.js';

/**
 * A Queues message holds at most 128 KB — counted as 128,000 bytes of the
 * serialised message (the local simulator enforces exactly that). Keep room
 * for the `position` added at delivery and for serialisation framing.
 */
export const QUEUE_EVENT_MAX_BYTES = 128_000 - 2_000;
/** Durable Object SQLite and D1 rows hold at most 2 MB; one event stays well below so batches and metadata fit. */
export const STORED_EVENT_MAX_BYTES = 1024 * 1024;

/**
 * Rejects a command whose events could not be stored or delivered, before
 * anything is committed: a too-large event found later would be stuck in the
 * outbox forever. `EVENT_TOO_LARGE` on every host.
 */
export function assertEventsFit(events: readonly EventEnvelope[], maxBytes: number, publishesToQueues: boolean): void {
  for (const event of events) {
    const json = JSON.stringify(event);
    // A UTF-16 code unit is at most 3 UTF-8 bytes: most events fit without encoding them.
    if (json.length * 3 <= maxBytes) continue;
    const bytes = utf8ByteLength(json);
    if (bytes > maxBytes) {
      throw new EventTooLargeError(
        `Event '${event.type}' of ${event.aggregateType} ${event.aggregateId} is ${bytes} bytes; the limit is ${maxBytes} bytes${publishesToQueues ? ' because its events are sent through Queues (128 KB per message)' : ''}. Store large content elsewhere (e.g. R2) and put a reference in the event.`,
        { details: { type: event.type, bytes, limit: maxBytes } },
      );
    }
  }
}
