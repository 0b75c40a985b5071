import { NotFound } from '@escf/core';
import { describe, expect, it } from 'vitest';
import { appendToLog, counters, envelope, eventually, modelFromLog, tallies, testEnv, uniqueId } from './helpers.js';

const tally = () => testEnv.TALLY;

describe('projectionEntrypoint: queries over RPC', () => {
  it('a query returns its value or throws its ESCF error; the client gives back the value or the same error class', async () => {
    const id = uniqueId('query');
    await counters(testEnv).counter(id).count({ by: 4 });
    await eventually(() => tallies().TALLY.tally(id), 20_000, 'the counted event');
    expect(await tallies().TALLY.required(id)).toEqual({ id, total: 4, history: '1' });
    const missing = await tallies()
      .TALLY.required('nobody')
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(NotFound);
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'No tally for nobody', details: { id: 'nobody' } });
    // On the wire the entrypoint answers a reply, so the code survives workerd's RPC.
    expect(await testEnv.TALLY.required('nobody')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('projectionEntrypoint: delivery', () => {
  it('applies events from the queue in version order, once, even when redelivered out of order', async () => {
    const id = uniqueId('queued');
    const counter = counters(testEnv).counter(id);
    for (const by of [1, 2, 3]) await counter.count({ by });
    expect(
      await eventually(
        async () => (await tallies().TALLY.tally(id))?.history === '1,2,3' && tallies().TALLY.tally(id),
        20_000,
        'three events',
      ),
    ).toEqual({
      id,
      total: 6,
      history: '1,2,3',
    });

    // Redeliver everything through the real queue, newest first, twice.
    const events = await (await import('./helpers.js'))
      .store()
      .readStream({ aggregateType: 'Counter', aggregateId: id });
    await testEnv.TALLY_QUEUE.sendBatch(
      [...events]
        .reverse()
        .concat(events)
        .map((body) => ({ body })),
    );
    const marker = uniqueId('marker');
    await counters(testEnv).counter(marker).count({ by: 1 });
    await eventually(() => tallies().TALLY.tally(marker), 20_000, 'the marker event');
    expect(await tallies().TALLY.tally(id)).toEqual({ id, total: 6, history: '1,2,3' });
  });

  it('over RPC: a duplicate has one effect and a gap is filled from the D1 event store (through the upcaster)', async () => {
    const id = uniqueId('direct');
    // Version 1 of Counted said `amount`; the projection only knows `by`.
    const [v1, v2, v3] = await appendToLog(id, [
      envelope(id, 1, 'Counted', { amount: 5 }, 1),
      envelope(id, 2, 'Counted', { by: 10 }, 2),
      envelope(id, 3, 'Counted', { by: 100 }, 2),
    ]);
    expect(await tally().deliver([v3!])).toEqual({ applied: 1, duplicates: 0 });
    expect(await tallies().TALLY.tally(id)).toEqual({ id, total: 115, history: '1,2,3' });
    expect(await tally().deliver([v2!, v3!, v1!, v3!])).toEqual({ applied: 0, duplicates: 4 });
    expect(await tallies().TALLY.tally(id)).toEqual({ id, total: 115, history: '1,2,3' });
  });

  it('concurrent deliveries of the same events commit each once (checkpoint guard in the D1 batch)', async () => {
    const id = uniqueId('race');
    const events = await appendToLog(
      id,
      [1, 2, 3, 4, 5].map((v) => envelope(id, v, 'Counted', { by: v }, 2)),
    );
    const reports = await Promise.all([
      tally().deliver(events),
      tally().deliver([...events].reverse()),
      tally().deliver(events.slice(2)),
    ]);
    expect(reports.reduce((sum, r) => sum + r.applied, 0)).toBe(5);
    expect(await tallies().TALLY.tally(id)).toEqual({ id, total: 15, history: '1,2,3,4,5' });
  });

  it('executeSync reads its own writes: the aggregate delivers to the projection before answering', async () => {
    const id = uniqueId('sync');
    const counter = counters(testEnv, { sync: true }).syncCounter(id);
    await counter.count({ by: 7 });
    expect(await tallies().TALLY.tally(id)).toEqual({ id, total: 7, history: '1' });
    await counter.count({ by: 8 });
    expect(await tallies().TALLY.tally(id)).toEqual({ id, total: 15, history: '1,2' });
  });
});

describe('projectionEntrypoint: rebuild', () => {
  it('rebuilds from the whole D1 log, in steps carried by its queue, into a model equal to the live one', async () => {
    const id = uniqueId('rebuilt');
    for (const by of [4, 5, 6]) await counters(testEnv, { sync: true }).syncCounter(id).count({ by });
    const live = await tallies().TALLY.everything();
    expect(live).toEqual(await modelFromLog());

    const started = await tally().rebuild();
    expect(started).toMatchObject({ status: 'running', cursor: 0, applied: 0 });
    expect(started.target).toBeGreaterThan(7); // more than one step of 7
    const done = await eventually(
      async () => {
        const status = await tally().status();
        return status.rebuild?.status === 'done' && status.rebuild;
      },
      30_000,
      'the rebuild to finish',
    );
    expect(done.cursor).toBeGreaterThanOrEqual(started.target!);
    expect(await tallies().TALLY.everything()).toEqual(live);
  });

  it('keeps applying live events while rebuilding, and ends equal to the log', async () => {
    const ids = [uniqueId('live-a'), uniqueId('live-b')];
    await tally().rebuild();
    // Commands during the rebuild: the live queue path and the rebuild race on the same checkpoints.
    for (let i = 1; i <= 4; i++) for (const id of ids) await counters(testEnv).counter(id).count({ by: i });
    await eventually(async () => (await tally().status()).rebuild?.status === 'done', 30_000, 'the rebuild to finish');
    await eventually(
      async () => (await tallies().TALLY.tally(ids[1]!))?.history === '1,2,3,4',
      20_000,
      'the live events',
    );
    expect(await tallies().TALLY.everything()).toEqual(await modelFromLog());
    const status = await tally().status();
    expect(status.stuck).toEqual([]);
    expect(status.position).toBeGreaterThan(0);
  });
});

describe('projectionEntrypoint: failures', () => {
  it('retries a throwing handler, dead-letters it, reports the stuck stream and keeps other aggregates flowing', async () => {
    const bad = uniqueId('bad');
    const good = uniqueId('good');
    await testEnv.TALLY_DB.prepare('INSERT INTO poison (id) VALUES (?)').bind(bad).run();
    await counters(testEnv).counter(bad).poke();
    await counters(testEnv).counter(bad).count({ by: 1 });
    await counters(testEnv).counter(good).count({ by: 2 });

    expect(await eventually(() => tallies().TALLY.tally(good), 20_000, 'the healthy aggregate')).toEqual({
      id: good,
      total: 2,
      history: '1',
    });
    const stuck = await eventually(
      async () => {
        const entry = (await tally().status()).stuck.find((s) => s.stream === `/Counter/${bad}`);
        return entry?.deadLettered && entry;
      },
      30_000,
      'the poisoned stream to be dead-lettered',
    );
    // The stuck event is the first failing one (v1), even for v2's message, after max_retries (2) + 1 attempts.
    expect(stuck).toMatchObject({ version: 1, eventType: 'Poked', deadLettered: true });
    expect(stuck.attempts).toBe(3);
    expect(stuck.error).toContain('poisoned');
    expect(await tallies().TALLY.tally(bad)).toBeNull();

    // Fix the cause, then retry the stuck streams from their checkpoints.
    await testEnv.TALLY_DB.prepare('DELETE FROM poison WHERE id = ?').bind(bad).run();
    expect(await tally().retryStuck()).toEqual({ applied: 2, duplicates: 0 });
    expect(await tallies().TALLY.tally(bad)).toEqual({ id: bad, total: 1, history: '1p,2' });
    expect((await tally().status()).stuck).toEqual([]);
  });
});
