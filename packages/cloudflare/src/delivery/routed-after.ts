import type { EventEnvelope } from '@escf/core';

/**
 * The metadata key the outbox sets on an event it routes to a subscriber
 * after skipping events of types that subscriber does not handle: the
 * version of the stream's previous event the subscriber was sent. Versions
 * between it and the event were never meant for the subscriber, so a
 * checkpoint at or above it may move straight to the event — no gap to fill
 * from the log.
 */
export const ROUTED_AFTER = 'routedAfter';

/** The version of the previous event of this stream routed to the receiver, when events were skipped since. */
export function routedAfterOf(event: EventEnvelope): number | undefined {
  const value = event.metadata?.[ROUTED_AFTER];
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < event.version
    ? value
    : undefined;
}

/**
 * True when `event` may be applied right after `checkpoint`: it is the next
 * version, or every version between them is of a type the receiver was never
 * routed.
 */
export function followsOn(event: EventEnvelope, checkpoint: number): boolean {
  if (event.version === checkpoint + 1) return true;
  const after = routedAfterOf(event);
  return after !== undefined && checkpoint >= after && checkpoint < event.version;
}
