// Processes on a par with projections: per-stream order and checkpoints with
// gap fill from the D1 log, stuck streams, retries with backoff, the
// dead-letter queue, retryStuck and re-drives over a range of the log.
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import type { EventEnvelope } from '@escf/core';
import { describe, expect, it } from 'vitest';
import { appendToLog, envelope, testEnv, uniqueId } from '../projection/helpers.js';
import { NotifierProcess, OrderedNotifierProcess } from '../projection/worker.js';

const ordered = (ctx = createExecutionContext()) => new OrderedNotifierProcess(ctx, testEnv);
const notifier = () => new NotifierProcess(createExecutionContext(), testEnv);

async function effectsFor(target: string): Promise<string[]> {
  const { results } = await testEnv.NOTIFIER_DB.prepare('SELECT detail FROM effects WHERE target = ? ORDER BY n')
    .bind(target)
    .all<{ detail: string }>();
  return results.map((r) => r.detail);
}

/** Runs one queue batch through the ordered process and returns what it acked and retried. */
async function queueBatch(queue: string, events: readonly EventEnvelope[], attempts = 1) {
  const batch = createMessageBatch(
    queue,
    events.map((body, i) => ({ id: `m${i}-${body.id}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await ordered(ctx).queue(batch);
  const result = await getQueueResult(batch, ctx);
  const name = (id: string) => Number(id.slice(1, id.indexOf('-')));
  return {
    acked: result.explicitAcks.map(name).sort(),
    retried: result.retryMessages.map((r) => ({ message: name(r.msgId), delaySeconds: r.delaySeconds })),
  };
}

describe('processes with ordering: stream', () => {
  it('heals a lost queue message by filling the gap from the log, and runs each effect exactly once', async () => {
    const id = uniqueId('lost');
    const [e1, e2, e3] = await appendToLog(
      id,
      [1, 2, 3].map((v) => envelope(id, v, 'Counted', { by: v }, 2)),
    );
    // The message of version 2 never arrived: version 3's delivery pulls it from the log first.
    expect(await queueBatch('ordered-notifier-events', [e1!, e3!])).toEqual({ acked: [0, 1], retried: [] });
    expect(await effectsFor(id)).toEqual(['counted 1 at v1', 'counted 2 at v2', 'counted 3 at v3']);
    // The lost message turns up late, and everything is redelivered: nothing runs twice.
    expect(await ordered().deliver([e2!, e3!, e1!])).toEqual({ handled: 0, duplicates: 3, busy: 0 });
    expect(await queueBatch('ordered-notifier-events', [e2!])).toEqual({ acked: [0], retried: [] });
    expect(await effectsFor(id)).toEqual(['counted 1 at v1', 'counted 2 at v2', 'counted 3 at v3']);
    const status = await ordered().status();
    expect(status).toMatchObject({ name: 'ordered-notifier', ordering: 'stream' });
    expect(status.position).toBeGreaterThanOrEqual(e3!.position!);
  });

  it('a failure stops its stream (later versions wait, with backoff); other streams go on; retryStuck resumes it', async () => {
    const id = uniqueId('stuck');
    const other = uniqueId('other');
    await testEnv.NOTIFIER_DB.prepare('INSERT INTO poison (id) VALUES (?)').bind(id).run();
    const events = await appendToLog(id, [
      envelope(id, 1, 'Counted', { by: 1 }, 2),
      envelope(id, 2, 'Poked', {}),
      envelope(id, 3, 'Counted', { by: 3 }, 2),
    ]);
    const [o1] = await appendToLog(other, [envelope(other, 1, 'Counted', { by: 9 }, 2)]);

    const first = await queueBatch('ordered-notifier-events', [...events, o1!]);
    expect(first.acked).toEqual([0, 3]);
    // Version 2 failed; version 3 waits behind it (both retried, with exponential backoff: delivery/retry-backoff.ts).
    expect(first.retried.map((r) => r.message)).toEqual([1, 2]);
    const second = await queueBatch('ordered-notifier-events', events.slice(1), 2);
    expect(second.retried.map((r) => r.message)).toEqual([0, 1]);
    expect(await effectsFor(id)).toEqual(['counted 1 at v1']);
    expect(await effectsFor(other)).toEqual(['counted 9 at v1']);

    const stuck = (await ordered().status()).stuck.find((s) => s.stream.endsWith(`/${id}`));
    expect(stuck).toMatchObject({
      version: 2,
      eventType: 'Poked',
      attempts: 2,
      deadLettered: false,
      eventId: events[1]!.id,
    });
    expect(stuck!.error).toContain(`poisoned: ${id}`);

    // The last attempt (attempts > maxRetries = 2) is reported as dead-lettered.
    await queueBatch('ordered-notifier-events', events.slice(1), 3);
    expect((await ordered().status()).stuck.find((s) => s.stream.endsWith(`/${id}`))).toMatchObject({
      attempts: 3,
      deadLettered: true,
    });

    await testEnv.NOTIFIER_DB.prepare('DELETE FROM poison WHERE id = ?').bind(id).run();
    expect(await ordered().retryStuck()).toEqual({ handled: 2, duplicates: 0, busy: 0 });
    expect(await effectsFor(id)).toEqual(['counted 1 at v1', 'poked at v2', 'counted 3 at v3']);
    expect((await ordered().status()).stuck.find((s) => s.stream.endsWith(`/${id}`))).toBeUndefined();
  });

  it('consumes its dead-letter queue: the stream shows as dead-lettered', async () => {
    const id = uniqueId('dlq');
    const [e1] = await appendToLog(id, [envelope(id, 1, 'Poked', {})]);
    await queueBatch('ordered-notifier-dlq', [e1!]);
    expect((await ordered().status()).stuck.find((s) => s.stream.endsWith(`/${id}`))).toMatchObject({
      version: 1,
      deadLettered: true,
    });
    // Nothing ran: the dead-letter queue only reports.
    expect(await effectsFor(id)).toEqual([]);
    expect(await ordered().retryStuck()).toMatchObject({ handled: 1 });
    expect(await effectsFor(id)).toEqual(['poked at v1']);
  });

  it('a direct delivery that fails records the stuck stream and throws a typed error', async () => {
    const id = uniqueId('rpc');
    await testEnv.NOTIFIER_DB.prepare('INSERT INTO poison (id) VALUES (?)').bind(id).run();
    const [e1] = await appendToLog(id, [envelope(id, 1, 'Poked', {})]);
    await expect(ordered().deliver([e1!])).rejects.toMatchObject({ code: 'PROCESS_HANDLER_FAILED' });
    expect((await ordered().status()).stuck.find((s) => s.stream.endsWith(`/${id}`))).toMatchObject({
      version: 1,
      attempts: 1,
    });
  });
});

describe('redrive', () => {
  it('re-drives a process over a range of the log: events whose delivery was lost run once, handled ones are skipped', async () => {
    const id = uniqueId('redrive');
    const events = await appendToLog(
      id,
      [1, 2, 3].map((v) => envelope(id, v, 'Counted', { by: v }, 2)),
    );
    await notifier().deliver([events[1]!]); // only version 2 ever arrived
    const range = { fromPosition: events[0]!.position!, toPosition: events[2]!.position! };
    expect(await notifier().redrive(range)).toMatchObject({
      read: 3,
      handled: 2,
      duplicates: 1,
      failed: 0,
      more: false,
      lastPosition: events[2]!.position,
    });
    expect((await effectsFor(id)).sort()).toEqual(['counted 1 at v1', 'counted 2 at v2', 'counted 3 at v3']);
    expect(await notifier().redrive(range)).toMatchObject({ handled: 0, duplicates: 3 });
    expect(await effectsFor(id)).toHaveLength(3);
    // Paging: a limit of one reads one event and says there is more.
    expect(await notifier().redrive(range, 1)).toMatchObject({
      read: 1,
      more: true,
      lastPosition: events[0]!.position,
    });
  });
});
