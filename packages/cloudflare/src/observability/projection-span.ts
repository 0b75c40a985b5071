import type { EventEnvelope } from '@escf/core';
import { EscfAttribute, SpanKind } from '@escf/core/internal';
import type { Span } from '@opentelemetry/api';
import { eventBatchSpan } from './event-spans.js';

/**
 * Runs one delivery of events to a projection (`deliver` over RPC, or a
 * queue batch) in the span `escf.projection.apply <name>`, then exports the
 * invocation's spans. `attempt` is the queue's delivery attempt (retries
 * show as 2, 3…). Off: `run(undefined)`.
 */
export function projectionSpan<T>(
  ctx: { waitUntil(promise: Promise<unknown>): void },
  projection: string,
  events: readonly EventEnvelope[],
  operation: 'deliver' | 'process',
  attempt: (() => number) | undefined,
  run: (span: Span | undefined) => Promise<T>,
): Promise<T> {
  return eventBatchSpan(
    `escf.projection.apply ${projection}`,
    events,
    () => ({
      [EscfAttribute.projection]: projection,
      'messaging.operation.name': operation,
      ...(attempt ? { [EscfAttribute.attempt]: attempt() } : {}),
    }),
    operation === 'process' ? SpanKind.CONSUMER : SpanKind.SERVER,
    run,
    ctx,
  );
}
