import type { EventEnvelope } from '@escf/core';
import { type ProjectionDescriptor, recordError } from '@escf/core/internal';
import { projectionSpan } from '../observability/projection-span.js';
import type { ProjectionApplier } from './projection-applier.js';
import { applyInBatches } from './projection-batch-applier.js';
import { markDeadLettered, recordFailure } from './projection-status.js';
import { backoffSeconds } from './retry-backoff.js';
import { groupByStream, isEnvelope } from './stream-of-event.js';

/** What a delivery did. */
export interface DeliveryReport {
  readonly applied: number;
  readonly duplicates: number;
}

/** Applies events in batches across streams (RPC delivery, retries); one failing stream does not stop the others, then the first failure is thrown. */
export async function deliverAll(
  descriptor: ProjectionDescriptor,
  applier: ProjectionApplier,
  db: D1Database,
  events: readonly EventEnvelope[],
): Promise<DeliveryReport> {
  const { applied, duplicates, failures } = await applyInBatches(applier, db, descriptor.name, events, {
    expectNext: true,
  });
  for (const failure of failures) await recordFailure(db, descriptor.name, failure.event, failure.error, 0, false);
  if (failures.length > 0) throw failures[0]!.error;
  return { applied, duplicates };
}

/** Marks the streams of a dead-letter queue's events as dead-lettered and acknowledges every message. */
export async function consumeDeadLetters(
  descriptor: ProjectionDescriptor,
  db: D1Database,
  batch: MessageBatch<unknown>,
): Promise<void> {
  for (const message of batch.messages) {
    if (isEnvelope(message.body)) await markDeadLettered(db, descriptor.name, message.body);
    message.ack();
  }
}

/** How the queue consumer retries: attempts before a failure counts as dead-lettered, and the first delay. */
export interface QueueRetry {
  readonly maxRetries: number;
  readonly retryDelaySeconds: number | undefined;
}

/**
 * Applies a queue batch's events, many per D1 batch. A failure stops only
 * its own stream: versions before the failing one are acknowledged, it and
 * later versions are retried with backoff and the failure is recorded
 * (as dead-lettered on the last attempt).
 */
export async function consumeEvents(
  descriptor: ProjectionDescriptor,
  applier: ProjectionApplier,
  db: D1Database,
  messages: readonly Message<EventEnvelope>[],
  retry: QueueRetry,
  ctx: { waitUntil(promise: Promise<unknown>): void },
): Promise<void> {
  const bodies = messages.map((m) => m.body);
  const outcome = await projectionSpan(
    ctx,
    descriptor.name,
    bodies,
    'process',
    () => Math.max(...messages.map((m) => m.attempts)),
    async (span) => {
      const applied = await applyInBatches(applier, db, descriptor.name, bodies, { expectNext: true });
      if (applied.failures.length > 0) recordError(span, applied.failures[0]!.error);
      return applied;
    },
  );
  const failedAt = new Map(outcome.failures.map((f) => [f.key, f]));
  for (const [key, group] of groupByStream(messages, (m) => m.body)) {
    const failure = failedAt.get(key);
    if (!failure) {
      for (const message of group) message.ack();
      continue;
    }
    // Versions before the failing one are applied; it and later versions wait (applying them would re-run it).
    const carrier = group.find((m) => m.body.version >= failure.event.version) ?? group.at(-1)!;
    await recordFailure(
      db,
      descriptor.name,
      failure.event,
      failure.error,
      carrier.attempts,
      carrier.attempts > retry.maxRetries,
    );
    for (const message of group) {
      if (message.body.version < failure.event.version) message.ack();
      else message.retry({ delaySeconds: backoffSeconds(message.attempts, retry.retryDelaySeconds) });
    }
  }
}
