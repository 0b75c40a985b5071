// Events the outbox routes past a projection (types it does not handle) must
// not look like gaps: the projection moves its checkpoint over them without
// reading the log, yet still fills real gaps and stays exactly once.
import type { EventEnvelope } from '@escf/core';
import { describeProjection } from '@escf/core/internal';
import type { EventStore } from '@escf/core/store';
import { describe, expect, it } from 'vitest';
import { ROUTED_AFTER } from '../../src/delivery/routed-after.js';
import { ProjectionApplier } from '../../src/projection/projection-applier.js';
import { applyInBatches } from '../../src/projection/projection-batch-applier.js';
import { checkpointsStatement } from '../../src/projection/projection-checkpoint.js';
import { CHECKPOINT_CONFLICT } from '../../src/projection/projection-schema.js';
import { appendToLog, envelope, store, tallies, testEnv, uniqueId } from './helpers.js';
import { Tally } from './tally-projection.js';

/** The event store, counting the stream reads (gap fills) the projection makes. */
function countingStore(): { store: EventStore; reads: () => number } {
  const real = store();
  let reads = 0;
  const counting = Object.create(real) as EventStore;
  counting.readStream = (stream, options) => {
    reads++;
    return real.readStream(stream, options);
  };
  return { store: counting, reads: () => reads };
}

/** A counter's log: Counted at 1, 4 and 6; Recorded (which the tally does not handle) at 2, 3 and 5. */
async function seed(prefix: string): Promise<{ id: string; log: EventEnvelope[] }> {
  const id = uniqueId(prefix);
  const log = await appendToLog(id, [
    envelope(id, 1, 'Counted', { by: 1 }, 2),
    envelope(id, 2, 'Recorded', { from: 'x', by: 2 }),
    envelope(id, 3, 'Recorded', { from: 'x', by: 3 }),
    envelope(id, 4, 'Counted', { by: 4 }, 2),
    envelope(id, 5, 'Recorded', { from: 'x', by: 5 }),
    envelope(id, 6, 'Counted', { by: 6 }, 2),
  ]);
  return { id, log };
}

/** The log's Counted events as the outbox routes them to the tally: each names the previous one it was sent. */
function routed(log: EventEnvelope[]): EventEnvelope[] {
  const sent = log.filter((e) => e.type === 'Counted');
  return sent.map((e, index) =>
    index === 0 ? e : { ...e, metadata: { ...e.metadata, [ROUTED_AFTER]: sent[index - 1]!.version } },
  );
}

const checkpointOf = async (id: string) =>
  (await testEnv.TALLY_DB.prepare(
    "SELECT version, event_id FROM escf_projection_streams WHERE projection = 'tally' AND stream LIKE ?1",
  )
    .bind(`%${id}`)
    .first<{ version: number; event_id: string }>()) ?? undefined;

describe('a projection sent only the event types it handles', () => {
  it('applies routed events one at a time without reading the log, and moves its checkpoint over skipped versions', async () => {
    const { id, log } = await seed('routed-one');
    const { store: counting, reads } = countingStore();
    const applier = new ProjectionApplier(describeProjection(Tally), new Tally(testEnv), testEnv.TALLY_DB, counting);
    for (const event of routed(log)) expect(await applier.apply(event)).toBe('applied');
    expect(reads()).toBe(0);
    expect(await tallies().TALLY.tally(id)).toEqual({ id, total: 11, history: '1,4,6' });
    expect(await checkpointOf(id)).toEqual({ version: 6, event_id: log[5]!.id });
    // Delivered again (at least once): duplicates, nothing applied twice.
    for (const event of routed(log)) expect(await applier.apply(event)).toBe('duplicate');
    expect(await tallies().TALLY.tally(id)).toEqual({ id, total: 11, history: '1,4,6' });
  });

  it('applies routed events in one batch without reading the log', async () => {
    const { id, log } = await seed('routed-batch');
    const { store: counting, reads } = countingStore();
    const applier = new ProjectionApplier(describeProjection(Tally), new Tally(testEnv), testEnv.TALLY_DB, counting);
    const outcome = await applyInBatches(applier, testEnv.TALLY_DB, 'tally', routed(log));
    expect(outcome).toMatchObject({ applied: 3, duplicates: 0, failures: [] });
    expect(outcome.queries).toBe(2); // the checkpoint read and one batch
    expect(reads()).toBe(0);
    expect(await tallies().TALLY.tally(id)).toEqual({ id, total: 11, history: '1,4,6' });
  });

  it('still fills a real gap: a routed event lost on the way is read from the log', async () => {
    const { id, log } = await seed('routed-lost');
    const [first, , last] = routed(log);
    const { store: counting, reads } = countingStore();
    const applier = new ProjectionApplier(describeProjection(Tally), new Tally(testEnv), testEnv.TALLY_DB, counting);
    expect(await applier.apply(first!)).toBe('applied');
    // Version 4 never arrived: 6 says it follows 4, the checkpoint is at 1 — a gap.
    expect(await applier.apply(last!)).toBe('applied');
    expect(reads()).toBe(1);
    expect(await tallies().TALLY.tally(id)).toEqual({ id, total: 11, history: '1,4,6' });
    // Batched, the same.
    const { id: other, log: otherLog } = await seed('routed-lost-batch');
    const [, , otherLast] = routed(otherLog);
    const batchApplier = new ProjectionApplier(
      describeProjection(Tally),
      new Tally(testEnv),
      testEnv.TALLY_DB,
      store(),
    );
    expect(await applyInBatches(batchApplier, testEnv.TALLY_DB, 'tally', [otherLast!])).toMatchObject({
      applied: 1,
      failures: [],
    });
    expect(await tallies().TALLY.tally(other)).toEqual({ id: other, total: 11, history: '1,4,6' });
  });

  it('a routed event that fails leaves its stream stuck; the next routed event waits for it, then both apply', async () => {
    const id = uniqueId('routed-stuck');
    const log = await appendToLog(id, [
      envelope(id, 1, 'Counted', { by: 1 }, 2),
      envelope(id, 2, 'Recorded', { from: 'x', by: 2 }),
      envelope(id, 3, 'Poked', {}),
      envelope(id, 4, 'Recorded', { from: 'x', by: 4 }),
      envelope(id, 5, 'Counted', { by: 5 }, 2),
    ]);
    const [v1, , v3, , v5] = log;
    const sent = [
      v1!,
      { ...v3!, metadata: { ...v3!.metadata, [ROUTED_AFTER]: 1 } },
      { ...v5!, metadata: { ...v5!.metadata, [ROUTED_AFTER]: 3 } },
    ];
    const applier = () =>
      new ProjectionApplier(describeProjection(Tally), new Tally(testEnv), testEnv.TALLY_DB, store());
    await testEnv.TALLY_DB.prepare('INSERT INTO poison (id) VALUES (?)').bind(id).run();
    const outcome = await applyInBatches(applier(), testEnv.TALLY_DB, 'tally', sent);
    expect(outcome.applied).toBe(1);
    expect(outcome.failures.map((f) => f.event.version)).toEqual([3]);
    expect(await checkpointOf(id)).toEqual({ version: 1, event_id: v1!.id }); // not past the stuck version
    // Version 5 alone (say, a later queue message): its predecessor 3 is not applied, so it is a gap.
    await expect(applier().apply(sent[2]!)).rejects.toThrow(/poisoned/);
    // Fixed: 5 fills 2..4 from the log and applies after them.
    await testEnv.TALLY_DB.prepare('DELETE FROM poison WHERE id = ?').bind(id).run();
    expect(await applier().apply(sent[2]!)).toBe('applied');
    expect(await tallies().TALLY.tally(id)).toEqual({ id, total: 6, history: '1,3p,5' });
  });

  it('the database refuses a skip from a checkpoint below the routed event’s predecessor (a stale cache)', async () => {
    const { id, log } = await seed('routed-stale');
    const [first, , last] = routed(log);
    const applier = new ProjectionApplier(describeProjection(Tally), new Tally(testEnv), testEnv.TALLY_DB, store());
    await applier.apply(first!);
    const key = (await testEnv.TALLY_DB.prepare(
      "SELECT stream FROM escf_projection_streams WHERE projection = 'tally' AND stream LIKE ?1",
    )
      .bind(`%${id}`)
      .first<string>('stream'))!;
    // A writer that believes the checkpoint is at 4 tries to record 6: the checkpoint is at 1.
    const attempt = testEnv.TALLY_DB.batch([
      checkpointsStatement(testEnv.TALLY_DB, 'tally', [{ key, event: last!, after: 4 }]),
    ]);
    await expect(attempt).rejects.toThrow(CHECKPOINT_CONFLICT);
    expect(await checkpointOf(id)).toEqual({ version: 1, event_id: log[0]!.id });
  });
});
