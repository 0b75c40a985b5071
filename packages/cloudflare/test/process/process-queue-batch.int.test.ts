// A queue batch's streams are handled side by side (each stream in order):
// a batch costs about its longest stream, not the sum of its messages, so a
// process keeps up with many aggregates' events under load.
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { type Envelope, EventHandler, Process, type ProcessHandlerContext } from '@escf/core';
import { describe, expect, it } from 'vitest';
import { processEntrypoint } from '../../src/index.js';
import { Counted, type Counted as CountedPayload } from '../projection/counter-domain.js';
import { appendToLog, envelope, testEnv, uniqueId } from '../projection/helpers.js';

interface Effects {
  notify(stream: string, version: number): Promise<void>;
}

@Process('batch-notifier')
class BatchNotifier {
  @EventHandler(Counted)
  async onCounted(e: Envelope<CountedPayload>, { effects }: ProcessHandlerContext<Effects>) {
    await effects.notify(e.aggregateId, e.version);
  }
}

/** What the effects saw, in order. */
const seen: string[] = [];
/** Released when the second stream's first event is handled: the first stream waits for it. */
let secondStarted: () => void = () => {};
const secondStartedPromise = new Promise<void>((resolve) => {
  secondStarted = resolve;
});
let first = '';
let second = '';

const BatchNotifierProcess = processEntrypoint(BatchNotifier, {
  database: 'NOTIFIER_DB',
  sweep: false,
  effects: (): Effects => ({
    async notify(stream, version) {
      seen.push(`${stream}@${version}`);
      if (stream === second) secondStarted();
      // Handled one message after the other, this would wait for ever (the test's timeout says so).
      if (stream === first && version === 1)
        await Promise.race([
          secondStartedPromise,
          new Promise((_, reject) =>
            setTimeout(() => reject(new Error('streams were handled one after the other')), 5_000),
          ),
        ]);
    },
  }),
});

describe('process queue batches', () => {
  it('handles the streams of a batch side by side, each in version order', async () => {
    first = uniqueId('first');
    second = uniqueId('second');
    const a = await appendToLog(
      first,
      [1, 2].map((v) => envelope(first, v, 'Counted', { by: v }, 2)),
    );
    const b = await appendToLog(second, [envelope(second, 1, 'Counted', { by: 1 }, 2)]);
    const batch = createMessageBatch(
      'batch-notifier-events',
      [a[0]!, a[1]!, b[0]!].map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
    );
    const ctx = createExecutionContext();
    await new BatchNotifierProcess(ctx, testEnv).queue(batch);
    const result = await getQueueResult(batch, ctx);
    expect(result.retryMessages).toEqual([]);
    expect([...result.explicitAcks].sort()).toEqual(['m0', 'm1', 'm2']);
    // The second stream ran while the first waited; the first stream's versions stayed in order.
    expect(seen.indexOf(`${second}@1`)).toBeLessThan(seen.indexOf(`${first}@2`));
    expect(seen.indexOf(`${first}@1`)).toBeLessThan(seen.indexOf(`${first}@2`));
  });
});
