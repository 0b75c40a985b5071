import type { EventEnvelope } from '@escf/core';
import { streamKey } from '@escf/core/internal';
import type { StreamId } from '@escf/core/store';

/** The stream an envelope belongs to (the tenant travels in its metadata). */
export function streamOf(event: EventEnvelope): StreamId {
  const tenantId = event.metadata?.tenantId;
  return { aggregateType: event.aggregateType, aggregateId: event.aggregateId, ...(tenantId ? { tenantId } : {}) };
}

/** The checkpoint key of an envelope's stream. */
export function streamKeyOf(event: EventEnvelope): string {
  return streamKey(streamOf(event));
}

/** Orders envelopes by stream, then version: how one delivery is applied. */
export function groupByStream<T>(items: readonly T[], eventOf: (item: T) => EventEnvelope): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = streamKeyOf(eventOf(item));
    const group = groups.get(key) ?? [];
    group.push(item);
    groups.set(key, group);
  }
  for (const group of groups.values()) group.sort((a, b) => eventOf(a).version - eventOf(b).version);
  return groups;
}

/** True for a body that has the shape of an {@link EventEnvelope}. */
export function isEnvelope(body: unknown): body is EventEnvelope {
  const e = body as EventEnvelope | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.id === 'string' &&
    typeof e.aggregateType === 'string' &&
    typeof e.aggregateId === 'string' &&
    typeof e.version === 'number' &&
    typeof e.type === 'string'
  );
}
