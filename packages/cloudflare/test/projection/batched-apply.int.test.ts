// Many events per D1 batch (rebuilds, catch-up, queue and RPC deliveries):
// few D1 calls, the same model as one event at a time, exactly-once effect
// when batches race, and a rebuild that resumes after failing mid-step.
import type { EventEnvelope } from '@escf/core';
import { describeProjection } from '@escf/core/internal';
import { describe, expect, it } from 'vitest';
import { ProjectionApplier } from '../../src/projection/projection-applier.js';
import { applyInBatches } from '../../src/projection/projection-batch-applier.js';
import { appendToLog, envelope, eventually, modelFromLog, store, tallies, testEnv, uniqueId } from './helpers.js';
import { Tally } from './tally-projection.js';

const tally = () => testEnv.TALLY;
const applier = () => new ProjectionApplier(describeProjection(Tally), new Tally(testEnv), testEnv.TALLY_DB, store());

/** `streams` fresh counters with `versions` Counted events each, in the log; returned in log order. */
async function seed(prefix: string, streams: number, versions: number): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = [];
  for (let s = 0; s < streams; s++) {
    const id = uniqueId(`${prefix}${s}`);
    events.push(
      ...(await appendToLog(
        id,
        Array.from({ length: versions }, (_, i) => envelope(id, i + 1, 'Counted', { by: i + 1 }, 2)),
      )),
    );
  }
  return events;
}

describe('applying many events per D1 batch', () => {
  it('applies events of many streams in a few D1 calls, with the model one-at-a-time delivery gives', async () => {
    const events = await seed('batched', 6, 10);
    const outcome = await applyInBatches(applier(), testEnv.TALLY_DB, 'tally', events);
    expect(outcome).toMatchObject({ applied: 60, duplicates: 0, failures: [] });
    // One checkpoint read and one batch: not one D1 batch per event.
    expect(outcome.queries).toBeLessThanOrEqual(3);
    for (const e of events.filter((e) => e.version === 10)) {
      expect(await tallies().TALLY.tally(e.aggregateId)).toEqual({
        id: e.aggregateId,
        total: 55,
        history: '1,2,3,4,5,6,7,8,9,10',
      });
    }
    // Delivered again: all duplicates, nothing written.
    expect(await applyInBatches(applier(), testEnv.TALLY_DB, 'tally', events)).toMatchObject({
      applied: 0,
      duplicates: 60,
    });
  });

  it('fills gaps of many streams from the log and commits them in the same batches', async () => {
    const events = await seed('gaps', 4, 6);
    const lastOfEach = events.filter((e) => e.version === 6);
    const outcome = await applyInBatches(applier(), testEnv.TALLY_DB, 'tally', lastOfEach);
    expect(outcome).toMatchObject({ applied: 4, duplicates: 0, failures: [] });
    for (const e of lastOfEach) expect((await tallies().TALLY.tally(e.aggregateId))?.history).toBe('1,2,3,4,5,6');
  });

  it('racing batched deliveries of the same events commit each event once', async () => {
    const events = await seed('racing', 5, 8);
    const shuffled = [...events].reverse();
    const outcomes = await Promise.all([
      applyInBatches(applier(), testEnv.TALLY_DB, 'tally', events),
      applyInBatches(applier(), testEnv.TALLY_DB, 'tally', shuffled),
      tally().deliver(events),
    ]);
    expect(outcomes.reduce((sum, o) => sum + o.applied, 0)).toBe(40);
    for (const e of events.filter((e) => e.version === 8)) {
      expect(await tallies().TALLY.tally(e.aggregateId)).toEqual({
        id: e.aggregateId,
        total: 36,
        history: '1,2,3,4,5,6,7,8',
      });
    }
  });

  it('a failing stream stops at its failing event; the other streams of the batch are applied', async () => {
    const good = await seed('healthy', 1, 3);
    const bad = uniqueId('poisoned');
    const badEvents = await appendToLog(bad, [
      envelope(bad, 1, 'Counted', { by: 1 }, 2),
      envelope(bad, 2, 'Poked', {}),
      envelope(bad, 3, 'Counted', { by: 1 }, 2),
    ]);
    await testEnv.TALLY_DB.prepare('INSERT INTO poison (id) VALUES (?)').bind(bad).run();
    const outcome = await applyInBatches(applier(), testEnv.TALLY_DB, 'tally', [...badEvents, ...good]);
    expect(outcome.applied).toBe(4); // bad v1, and the three healthy events
    expect(outcome.failures.map((f) => [f.key, f.event.version])).toEqual([[`/Counter/${bad}`, 2]]);
    expect(await tallies().TALLY.tally(bad)).toEqual({ id: bad, total: 1, history: '1' });
    await testEnv.TALLY_DB.prepare('DELETE FROM poison WHERE id = ?').bind(bad).run();
    expect(await applyInBatches(applier(), testEnv.TALLY_DB, 'tally', badEvents)).toMatchObject({
      applied: 2,
      duplicates: 1,
      failures: [],
    });
    expect(await tallies().TALLY.tally(bad)).toEqual({ id: bad, total: 2, history: '1,2p,3' });
  });

  it('a plain handler that throws mid-stream: the versions before it in the same batch are applied, it and later ones are not', async () => {
    const id = uniqueId('throws-mid-batch');
    // Tally.onMeasured throws (synchronously) unless it reads a metre; v2 here is in feet.
    const events = await appendToLog(id, [
      envelope(id, 1, 'Counted', { by: 1 }, 2),
      envelope(id, 2, 'Measured', { amount: 3, unit: 'ft' }, 3),
      envelope(id, 3, 'Counted', { by: 1 }, 2),
    ]);
    const outcome = await applyInBatches(applier(), testEnv.TALLY_DB, 'tally', events);
    expect(outcome.applied).toBe(1);
    expect(outcome.failures.map((f) => f.event.version)).toEqual([2]);
    expect(await tallies().TALLY.tally(id)).toEqual({ id, total: 1, history: '1' });
    // This stream can never apply: take it out of the shared log, so later rebuilds in this file can finish.
    await testEnv.ESCF_EVENTS.prepare('DELETE FROM escf_events WHERE aggregate_id = ?').bind(id).run();
  });

  it("a live delivery of each stream's next versions commits in ONE D1 call, without reading checkpoints first", async () => {
    const events = await seed('as-next', 3, 4);
    const first = events.filter((e) => e.version <= 2);
    const rest = events.filter((e) => e.version > 2);
    expect(await applyInBatches(applier(), testEnv.TALLY_DB, 'tally', first, { expectNext: true })).toMatchObject({
      applied: 6,
      duplicates: 0,
      failures: [],
      queries: 1,
    });
    expect(await applyInBatches(applier(), testEnv.TALLY_DB, 'tally', rest, { expectNext: true })).toMatchObject({
      applied: 6,
      queries: 1,
    });
    for (const e of events.filter((e) => e.version === 4))
      expect(await tallies().TALLY.tally(e.aggregateId)).toEqual({ id: e.aggregateId, total: 10, history: '1,2,3,4' });
  });

  it('a live delivery that is not the next versions (duplicates, gaps, a poisoned stream) falls back to the careful way with the same model', async () => {
    const events = await seed('not-next', 3, 6);
    const [a, b, c] = [0, 1, 2].map((s) => events.filter((e) => e.aggregateId === events[s * 6]!.aggregateId));
    // a: v1–v3 applied before, then delivered v2–v5 (duplicates first); b: only v6 (a gap of five); c: v1–v6.
    await applyInBatches(applier(), testEnv.TALLY_DB, 'tally', a!.slice(0, 3));
    const outcome = await applyInBatches(applier(), testEnv.TALLY_DB, 'tally', [...a!.slice(1, 5), b!.at(-1)!, ...c!], {
      expectNext: true,
    });
    expect(outcome).toMatchObject({ applied: 2 + 1 + 6, duplicates: 2, failures: [] });
    expect((await tallies().TALLY.tally(a![0]!.aggregateId))?.history).toBe('1,2,3,4,5');
    expect((await tallies().TALLY.tally(b![0]!.aggregateId))?.history).toBe('1,2,3,4,5,6');
    expect((await tallies().TALLY.tally(c![0]!.aggregateId))?.history).toBe('1,2,3,4,5,6');

    const bad = uniqueId('poisoned-next');
    const badEvents = await appendToLog(bad, [
      envelope(bad, 1, 'Counted', { by: 1 }, 2),
      envelope(bad, 2, 'Poked', {}),
    ]);
    const healthy = await seed('healthy-next', 1, 2);
    await testEnv.TALLY_DB.prepare('INSERT INTO poison (id) VALUES (?)').bind(bad).run();
    const poisoned = await applyInBatches(applier(), testEnv.TALLY_DB, 'tally', [...badEvents, ...healthy], {
      expectNext: true,
    });
    expect(poisoned.applied).toBe(3);
    expect(poisoned.failures.map((f) => f.event.version)).toEqual([2]);
    await testEnv.TALLY_DB.prepare('DELETE FROM poison WHERE id = ?').bind(bad).run();
    expect(await applyInBatches(applier(), testEnv.TALLY_DB, 'tally', badEvents, { expectNext: true })).toMatchObject({
      applied: 1,
      duplicates: 1,
    });
    expect(await tallies().TALLY.tally(bad)).toEqual({ id: bad, total: 1, history: '1,2p' });
  });

  it('a rebuild that fails mid-step keeps what it committed, resumes from its cursor and ends equal to the log', async () => {
    await seed('resumed', 8, 5);
    const bad = uniqueId('stalls-rebuild');
    await appendToLog(bad, [
      envelope(bad, 1, 'Counted', { by: 2 }, 2),
      envelope(bad, 2, 'Poked', {}),
      envelope(bad, 3, 'Counted', { by: 3 }, 2),
    ]);
    await seed('after', 4, 5);
    await testEnv.TALLY_DB.prepare('INSERT INTO poison (id) VALUES (?)').bind(bad).run();

    const started = await tally().rebuild();
    // The step (and its retries) fail at the poisoned event; everything before it stays applied.
    await eventually(
      async () => (await tallies().TALLY.tally(bad))?.history === '1',
      30_000,
      'the rebuild to reach the poisoned stream',
    );
    const stalled = (await tally().status()).rebuild!;
    expect(stalled).toMatchObject({ status: 'running', generation: started.generation });
    expect(stalled.cursor).toBeLessThan(stalled.target!);

    await testEnv.TALLY_DB.prepare('DELETE FROM poison WHERE id = ?').bind(bad).run();
    // Resumed by hand here (its queue retries it too, with backoff, and a watchdog message after 30 s).
    await eventually(
      async () => (await tally().rebuildStep())?.status === 'done',
      30_000,
      'the rebuild to resume and finish',
    );
    expect(await tallies().TALLY.tally(bad)).toEqual({ id: bad, total: 5, history: '1,2p,3' });
    expect(await tallies().TALLY.everything()).toEqual(await modelFromLog());
    // A repeated step after the end changes nothing.
    expect(await tally().rebuildStep()).toMatchObject({ status: 'done' });
    expect(await tallies().TALLY.everything()).toEqual(await modelFromLog());
  });
});
