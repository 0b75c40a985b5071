// The log sweep: an event whose delivery never arrived (its queue message
// was lost with a crashed runtime) is still handled, once, by the sweep of
// the D1 log that queue batches, deliveries and cron triggers start — for
// unordered processes too. Handled events are skipped by id, events another
// delivery is handling stop the sweep, young events are left to their queue.
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { type Envelope, EventHandler, Process, type ProcessHandlerContext } from '@escf/core';
import { describe, expect, it } from 'vitest';
import { processEntrypoint } from '../../src/index.js';
import { Counted, type Counted as CountedPayload } from '../projection/counter-domain.js';
import { appendToLog, envelope, testEnv, uniqueId } from '../projection/helpers.js';

interface Effects {
  notify(target: string, detail: string): Promise<void>;
}

@Process('swept-notifier')
class SweptNotifier {
  @EventHandler(Counted)
  async onCounted(e: Envelope<CountedPayload>, { effects }: ProcessHandlerContext<Effects>) {
    await effects.notify(`swept:${e.aggregateId}`, `swept ${e.payload.by} at v${e.version}`);
  }
}

/** The process's clock runs ahead of the events by `ahead` ms: the tests move it past the grace period. */
let ahead = 0;
const GRACE_MS = 60_000;
const SweptNotifierProcess = processEntrypoint(SweptNotifier, {
  database: 'NOTIFIER_DB',
  clock: { now: () => Date.now() + ahead },
  sweep: { graceMs: GRACE_MS, intervalMs: 0, pageSize: 4 },
  effects: (): Effects => ({
    async notify(target, detail) {
      await testEnv.NOTIFIER_DB.prepare('INSERT INTO effects (target, detail) VALUES (?, ?)')
        .bind(target, detail)
        .run();
    },
  }),
});
const swept = (ctx = createExecutionContext()) => new SweptNotifierProcess(ctx, testEnv);

/** Its effects are kept apart from the other processes' (which share the log and NOTIFIER_DB). */
async function effectsFor(target: string): Promise<string[]> {
  const { results } = await testEnv.NOTIFIER_DB.prepare('SELECT detail FROM effects WHERE target = ? ORDER BY n')
    .bind(`swept:${target}`)
    .all<{ detail: string }>();
  return results.map((r) => r.detail);
}

/** Sweeps until the sweep reaches the young end of the log (other tests' events may lie before it). */
async function sweepToEnd() {
  let handled = 0;
  for (let i = 0; i < 50; i++) {
    const report = await swept().sweep();
    handled += report.handled;
    if (report.caughtUp || report.busy > 0) return { ...report, handledInAll: handled };
  }
  throw new Error('the sweep did not catch up');
}

describe('process log sweep', () => {
  it('handles an event whose delivery was lost, once, and skips handled events and other types', async () => {
    ahead = 0;
    const id = uniqueId('swept');
    const [e1, e2, e3, e4] = await appendToLog(id, [
      envelope(id, 1, 'Counted', { by: 1 }, 2),
      envelope(id, 2, 'Counted', { by: 2 }, 2),
      envelope(id, 3, 'Poked', {}),
      envelope(id, 4, 'Counted', { by: 4 }, 2),
    ]);
    // Versions 1 and 4 arrived; the message of version 2 was lost.
    expect(await swept().deliver([e1!, e4!])).toEqual({ handled: 2, duplicates: 0, busy: 0 });

    // Within the grace period the sweep leaves young events to their own delivery.
    const early = await sweepToEnd();
    expect(early.caughtUp).toBe(true);
    expect(early.position).toBeLessThan(e2!.position!);
    expect(await effectsFor(id)).toEqual(['swept 1 at v1', 'swept 4 at v4']);

    // Past it, the lost event is handled; handled ones and the Poked event (no handler) are passed.
    ahead = GRACE_MS + 1_000;
    const late = await sweepToEnd();
    expect(late.position).toBeGreaterThanOrEqual(e4!.position!);
    expect(await effectsFor(id)).toEqual(['swept 1 at v1', 'swept 4 at v4', 'swept 2 at v2']);
    expect((await swept().status()).swept).toBeGreaterThanOrEqual(e4!.position!);

    // Sweeping again, or a late redelivery of everything, runs nothing twice.
    await sweepToEnd();
    expect(await swept().deliver([e1!, e2!, e3!, e4!])).toEqual({ handled: 0, duplicates: 3, busy: 0 });
    expect(await effectsFor(id)).toHaveLength(3);
  });

  it('stops at an event another delivery is handling right now, and handles it once that claim has expired', async () => {
    ahead = 0;
    const id = uniqueId('busy');
    const [e1, e2] = await appendToLog(id, [
      envelope(id, 1, 'Counted', { by: 1 }, 2),
      envelope(id, 2, 'Counted', { by: 2 }, 2),
    ]);
    await swept().deliver([e1!]);
    // A delivery claimed version 2 and is still running (its lease is in the future).
    await testEnv.NOTIFIER_DB.prepare(
      "INSERT INTO escf_process_events (process, event_id, handled_at, claimed_until) VALUES ('swept-notifier', ?, 0, ?)",
    )
      .bind(e2!.id, Date.now() + 10 * GRACE_MS)
      .run();
    ahead = GRACE_MS + 1_000;
    const stopped = await sweepToEnd();
    expect(stopped.busy).toBe(1);
    expect(stopped.position).toBeLessThan(e2!.position!);
    expect(await effectsFor(id)).toEqual(['swept 1 at v1']);

    // That delivery crashed: once its lease has run out, the sweep handles the event.
    ahead = 20 * GRACE_MS;
    await sweepToEnd();
    expect(await effectsFor(id)).toEqual(['swept 1 at v1', 'swept 2 at v2']);
  });

  it('is started by queue batches and by cron triggers, without any operator', async () => {
    ahead = 0;
    const id = uniqueId('auto');
    // Version 2's message is lost: only versions 1 and 3 are ever delivered.
    const [e1, , e3] = await appendToLog(
      id,
      [1, 2, 3].map((v) => envelope(id, v, 'Counted', { by: v }, 2)),
    );
    await swept().deliver([e1!]);
    ahead = GRACE_MS + 1_000;
    // A queue batch carries version 3 only; the sweep it starts after the batch finds version 2.
    const batch = createMessageBatch('swept-notifier-events', [
      { id: 'm3', timestamp: new Date(), attempts: 1, body: e3! },
    ]);
    const ctx = createExecutionContext();
    await swept(ctx).queue(batch);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['m3']);
    await waitOnExecutionContext(ctx);
    for (let i = 0; i < 50 && (await effectsFor(id)).length < 3; i++) await sweepToEnd();
    expect((await effectsFor(id)).sort()).toEqual(['swept 1 at v1', 'swept 2 at v2', 'swept 3 at v3']);

    // A cron trigger sweeps too.
    const [e4] = await appendToLog(id, [envelope(id, 4, 'Counted', { by: 4 }, 2)]);
    expect(e4!.version).toBe(4);
    ahead = 2 * GRACE_MS;
    for (let i = 0; i < 50 && (await effectsFor(id)).length < 4; i++)
      await swept().scheduled({ cron: '*/5 * * * *', scheduledTime: Date.now(), noRetry() {} } as ScheduledController);
    expect((await effectsFor(id)).sort()).toEqual(['swept 1 at v1', 'swept 2 at v2', 'swept 3 at v3', 'swept 4 at v4']);
  });
});
