import type { EventEnvelope } from '@escf/core';
import {
  batchSpanOptions,
  EscfAttribute,
  inSpan,
  type SpanKind,
  tracingEnabled,
  type WaitUntil,
} from '@escf/core/internal';
import { type Attributes, type Context, type Span, trace } from '@opentelemetry/api';

/** Attributes of a span that handles `events`: batch size, event types, the stream and the oldest event's lag. */
function eventAttributes(events: readonly EventEnvelope[], extra: Attributes): Attributes {
  const first = events[0];
  const types = [...new Set(events.map((e) => e.type))];
  const oldest = Math.min(...events.map((e) => e.timestamp));
  const tenant = first?.metadata?.tenantId;
  return {
    [EscfAttribute.batchSize]: events.length,
    [EscfAttribute.eventTypes]: types,
    ...(first
      ? { [EscfAttribute.aggregateType]: first.aggregateType, [EscfAttribute.aggregateId]: first.aggregateId }
      : {}),
    ...(first && events.every((e) => e.aggregateId === first.aggregateId)
      ? { [EscfAttribute.version]: events.at(-1)!.version }
      : {}),
    ...(typeof tenant === 'string' ? { [EscfAttribute.tenant]: tenant } : {}),
    ...(Number.isFinite(oldest) ? { [EscfAttribute.lagMs]: Math.max(0, Date.now() - oldest) } : {}),
    ...extra,
  };
}

/**
 * Runs `fn` in a span (attributes computed only when on) that handles a batch of events (D1 append, queue
 * send, delivery, projection apply): it continues the events' trace when
 * they share one and links the others (see `batchSpanOptions`). Off: `fn(undefined)`.
 */
export function eventBatchSpan<T>(
  name: string,
  events: readonly EventEnvelope[],
  attributes: () => Attributes,
  kind: SpanKind,
  fn: (span: Span | undefined) => Promise<T>,
  flush?: WaitUntil,
): Promise<T> {
  if (!tracingEnabled()) return fn(undefined);
  return inSpan(
    name,
    {
      kind,
      ...batchSpanOptions(events.map((e) => e.metadata)),
      attributes: eventAttributes(events, attributes()),
      ...(flush ? { flush } : {}),
    },
    fn,
  );
}

/**
 * Runs `fn` in a span that handles one event (a process effect): a child of
 * the span that committed the event, with a link to it, so that the commands
 * the effect sends belong to the same trace. Off: `fn(undefined)`.
 */
export function eventSpan<T>(
  name: string,
  event: EventEnvelope,
  attributes: () => Attributes,
  kind: SpanKind,
  fn: (span: Span | undefined) => Promise<T>,
  flush?: WaitUntil,
): Promise<T> {
  if (!tracingEnabled()) return fn(undefined);
  const { parent } = batchSpanOptions([event.metadata]);
  const cause = parent === undefined ? undefined : trace.getSpanContext(parent as Context);
  return inSpan(
    name,
    {
      kind,
      parent: parent ?? null,
      links: cause ? [{ context: cause, attributes: { 'escf.link': 'causing_event' } }] : [],
      attributes: { ...eventAttributes([event], attributes()), 'messaging.message.id': event.id },
      ...(flush ? { flush } : {}),
    },
    fn,
  );
}
