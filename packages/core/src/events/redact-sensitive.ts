import type { EventEnvelope } from './envelope.js';

/**
 * The event without its sensitive payload fields (see `EventDefinition.sensitive`),
 * for a subscriber that did not declare it needs them. The names of the
 * fields taken out are listed in `metadata.redacted`, so a consumer can tell
 * "not sent" from "not set". Events with no such field come back as they are.
 */
export function redactSensitive(event: EventEnvelope, sensitive: readonly string[] | undefined): EventEnvelope {
  if (!sensitive || sensitive.length === 0 || typeof event.payload !== 'object' || event.payload === null) return event;
  const payload = { ...(event.payload as Record<string, unknown>) };
  const redacted = sensitive.filter((field) => field in payload);
  if (redacted.length === 0) return event;
  for (const field of redacted) delete payload[field];
  return { ...event, payload, metadata: { ...event.metadata, redacted } };
}
