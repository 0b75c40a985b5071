/** Cloudflare Queues limits for one `sendBatch` call. */
export const QUEUE_BATCH_LIMITS = { maxMessages: 100, maxBytes: 256 * 1024 } as const;

/** Per-message overhead we budget for on top of the JSON body. */
const MESSAGE_OVERHEAD_BYTES = 100;

const encoder = new TextEncoder();

/**
 * Splits messages into `sendBatch`-sized groups: at most 100 messages and
 * 256 KB per group, in order. A single message over the byte limit still
 * gets a group of its own (the queue will reject it and the outbox retries,
 * which surfaces the problem instead of dropping the event).
 */
export function splitIntoQueueBatches<T>(
  messages: readonly T[],
  limits: { maxMessages: number; maxBytes: number } = QUEUE_BATCH_LIMITS,
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = encoder.encode(JSON.stringify(message)).length + MESSAGE_OVERHEAD_BYTES;
    if (current.length > 0 && (current.length >= limits.maxMessages || bytes + size > limits.maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
