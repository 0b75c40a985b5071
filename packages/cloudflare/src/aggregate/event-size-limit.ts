import { QUEUE_EVENT_MAX_BYTES, STORED_EVENT_MAX_BYTES } from '@escf/core/internal';

// The check itself is part of core's command pipeline, so every host refuses the same events.
export { QUEUE_EVENT_MAX_BYTES, STORED_EVENT_MAX_BYTES };

/** The largest event (its JSON envelope) an aggregate may commit, given where its events go. */
export function maxEventBytes(options: {
  readonly queues: readonly string[];
  readonly maxEventBytes?: number | undefined;
}): number {
  const platform = options.queues.length > 0 ? QUEUE_EVENT_MAX_BYTES : STORED_EVENT_MAX_BYTES;
  return Math.min(options.maxEventBytes ?? platform, platform);
}
