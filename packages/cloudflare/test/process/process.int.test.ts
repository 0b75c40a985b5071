import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import type { ProcessDeliveryReport } from '../../src/index.js';
import { appendToLog, envelope, eventually, store, tallies, testEnv, uniqueId } from '../projection/helpers.js';
import { NotifierProcess } from '../projection/worker.js';

const notifier = () => new NotifierProcess(createExecutionContext(), testEnv);

async function effectsFor(target: string): Promise<string[]> {
  const { results } = await testEnv.NOTIFIER_DB.prepare('SELECT detail FROM effects WHERE target = ? ORDER BY n')
    .bind(target)
    .all<{ detail: string }>();
  return results.map((r) => r.detail);
}

describe('processEntrypoint', () => {
  it('runs an effect once per event, however often the event is delivered', async () => {
    const id = uniqueId('notify');
    const [e1, e2] = await appendToLog(id, [
      envelope(id, 1, 'Counted', { amount: 3 }, 1),
      envelope(id, 2, 'Counted', { by: 4 }, 2),
    ]);
    expect(await notifier().deliver([e1!, e1!, e2!])).toEqual({ handled: 2, duplicates: 1, busy: 0 });
    expect(await notifier().deliver([e2!, e1!])).toEqual({ handled: 0, duplicates: 2, busy: 0 });
    // Upcast: version 1's `amount` reached the handler as `by`.
    expect(await effectsFor(id)).toEqual(['counted 3 at v1', 'counted 4 at v2']);
  });

  it('runs an effect once when the same event is delivered concurrently; the losers get a busy reply, not an error', async () => {
    const id = uniqueId('race');
    const [event] = await appendToLog(id, [envelope(id, 1, 'Counted', { by: 5 }, 2)]);
    const errors = vi.spyOn(console, 'error');
    // Over RPC, as the outbox delivers: a thrown EVENT_BUSY would be logged by workerd as an uncaught exception.
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map(() => testEnv.NOTIFIER.deliver([event!])));
    expect(await effectsFor(id)).toEqual(['counted 5 at v1']);
    // Every delivery answered: one handled it, the others found it handled or in progress (busy: deliver again later).
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    const reports = outcomes.map((o) => (o as PromiseFulfilledResult<ProcessDeliveryReport>).value);
    expect(reports.filter((r) => r.handled === 1)).toHaveLength(1);
    expect(reports.filter((r) => r.handled === 0).every((r) => r.duplicates + r.busy === 1)).toBe(true);
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
    expect(await notifier().deliver([event!])).toEqual({ handled: 0, duplicates: 1, busy: 0 });
  });

  it('handles an event again once the claim of a crashed delivery has expired', async () => {
    const id = uniqueId('lease');
    const [event] = await appendToLog(id, [envelope(id, 1, 'Counted', { by: 6 }, 2)]);
    // A delivery claimed the event, then crashed before running its effects.
    await testEnv.NOTIFIER_DB.prepare(
      "INSERT INTO escf_process_events (process, event_id, handled_at, claimed_until) VALUES ('notifier', ?, 0, ?)",
    )
      .bind(event!.id, Date.now() - 1)
      .run();
    expect(await notifier().deliver([event!])).toEqual({ handled: 1, duplicates: 0, busy: 0 });
    expect(await effectsFor(id)).toEqual(['counted 6 at v1']);
  });

  it('issues a command with ids derived from the event, so a redelivery never issues it twice', async () => {
    const id = uniqueId('big');
    const [event] = await appendToLog(id, [envelope(id, 1, 'Counted', { by: 150 }, 2)]);
    await notifier().deliver([event!]);
    // Simulate a crash after the effects but before the event was marked handled.
    await testEnv.NOTIFIER_DB.prepare("DELETE FROM escf_process_events WHERE process = 'notifier' AND event_id = ?")
      .bind(event!.id)
      .run();
    await notifier().deliver([event!]);

    expect(await effectsFor(id)).toHaveLength(2); // plain effects are at-least-once across a crash…
    const audit = { aggregateType: 'Counter', aggregateId: `audit-${id}` };
    const recorded = await eventually(
      async () => {
        const events = await store().readStream(audit);
        return events.length > 0 && events;
      },
      10_000,
      'the audit command to reach D1',
    );
    expect(recorded).toHaveLength(1); // …but the command was applied once
    expect(recorded[0]).toMatchObject({
      type: 'Recorded',
      payload: { from: id, by: 150 },
      metadata: { correlationId: `corr-${id}`, causationId: event!.id, idempotencyKey: `notifier:${event!.id}:0` },
    });
  });

  it('serves HTTP triggers; a retried request with the same Idempotency-Key issues its command once', async () => {
    const id = uniqueId('http');
    const request = () =>
      new Request('https://notifier.test/count', {
        method: 'POST',
        headers: { 'idempotency-key': `key-${id}` },
        body: JSON.stringify({ id, by: 2 }),
      });
    const first = await notifier().fetch(request());
    expect(await first.json()).toEqual({ version: 1 });
    expect(await (await notifier().fetch(request())).json()).toEqual({ version: 1 });
    const missing = await notifier().fetch(new Request('https://notifier.test/nope'));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No route for GET /nope' } });
  });

  it('answers a refused command of an HTTP trigger with the one JSON error body, not a 500', async () => {
    const refused = await notifier().fetch(
      new Request('https://notifier.test/count', {
        method: 'POST',
        body: JSON.stringify({ id: uniqueId('zero'), by: 0 }),
      }),
    );
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ error: { code: 'ZERO', message: 'Counting by zero changes nothing' } });
  });

  it('runs @OnQueue methods for their queue and @OnCron methods on schedule', async () => {
    const to = uniqueId('inbox');
    const batch = createMessageBatch('notifier-inbox', [
      { id: 'm1', timestamp: new Date(), attempts: 1, body: { to } },
    ]);
    const ctx = createExecutionContext();
    await new NotifierProcess(ctx, testEnv).queue(batch);
    expect(await getQueueResult(batch, ctx)).toMatchObject({ explicitAcks: ['m1'], retryMessages: [] });
    expect(await effectsFor(to)).toEqual(['inbox']);

    const scheduledTime = Date.now();
    const cronCtx = createExecutionContext();
    await new NotifierProcess(cronCtx, testEnv).scheduled({ cron: '*/5 * * * *', scheduledTime, noRetry() {} });
    await waitOnExecutionContext(cronCtx);
    expect(await effectsFor('cron')).toContain(String(scheduledTime));
  });

  it('is not re-run by a projection rebuild', async () => {
    const id = uniqueId('norerun');
    const events = await appendToLog(
      id,
      [1, 2, 3].map((v) => envelope(id, v, 'Counted', { by: v }, 2)),
    );
    await notifier().deliver(events);
    await testEnv.TALLY.deliver(events);
    const before = await testEnv.NOTIFIER_DB.prepare('SELECT COUNT(*) AS n FROM effects').first<{ n: number }>();

    await testEnv.TALLY.rebuild();
    await eventually(async () => (await testEnv.TALLY.status()).rebuild?.status === 'done', 30_000, 'the rebuild');
    expect(await tallies().TALLY.tally(id)).toEqual({ id, total: 6, history: '1,2,3' });
    const after = await testEnv.NOTIFIER_DB.prepare('SELECT COUNT(*) AS n FROM effects').first<{ n: number }>();
    expect(after!.n).toBe(before!.n);
    expect(await effectsFor(id)).toHaveLength(3);
  });
});
