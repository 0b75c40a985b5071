import type { EventEnvelope } from '@escf/core';
import { type RetentionConfig, retention } from '@escf/core/retention';
import type { StreamId } from '@escf/core/store';
import { describe, expect, it } from 'vitest';
import { ArchivingEventStore, EventArchiver } from '../../src/archive/index.js';
import type { ArchiverFaults } from '../../src/internal.js';
import { appendOneByOne, d1RowCount, freshTable, readWholeLog, segmentKeys, testEnv } from './helpers.js';

class Crash extends Error {}

/** A table with three interleaved streams of two types, 8 one-event batches each. */
async function populatedLog() {
  const table = await freshTable('crash');
  const store = new ArchivingEventStore(testEnv.ESCF_EVENTS, testEnv.ESCF_ARCHIVE, { table });
  const streams: StreamId[] = [
    { aggregateType: 'Order', aggregateId: 'o1' },
    { aggregateType: 'Order', aggregateId: 'o2' },
    { aggregateType: 'Invoice', aggregateId: 'i1' },
  ];
  for (let v = 1; v <= 8; v++) {
    for (const stream of streams) await appendOneByOne.next(store, stream, v);
  }
  return { table, store, streams, original: await readWholeLog(store) };
}

/** Archiver for a table, optionally crashing at a hook's nth call. */
function archiverFor(table: string, config: RetentionConfig, faults: ArchiverFaults = {}) {
  return new EventArchiver(testEnv.ESCF_EVENTS, testEnv.ESCF_ARCHIVE, {
    table,
    retention: config,
    maxEventsPerSegment: 4,
    faults,
    now: () => 1_900_000_000_000,
  });
}

function crashOnCall(n: number): () => void {
  let calls = 0;
  return () => {
    calls += 1;
    if (calls === n) throw new Crash(`crash at call ${n}`);
  };
}

const ids = (events: EventEnvelope[]) => events.map((e) => e.id);
const everythingButHeads = { default: retention.keepLastEvents(0) };

describe('EventArchiver crash safety', () => {
  it('a crash between the R2 write and the D1 delete loses and duplicates nothing; the re-run reuses the verified object', async () => {
    const { table, store, original } = await populatedLog();
    const prefix = store.prefix;
    await expect(
      archiverFor(table, everythingButHeads, { afterSegmentWrite: crashOnCall(1) }).run(),
    ).rejects.toBeInstanceOf(Crash);
    expect(await segmentKeys(prefix)).toHaveLength(1); // written…
    expect(await d1RowCount(table)).toBe(24); // …but nothing deleted
    expect(
      (await new EventArchiver(testEnv.ESCF_EVENTS, testEnv.ESCF_ARCHIVE, { table, retention: {} }).status()).archive
        .segments,
    ).toBe(0);
    expect(await readWholeLog(store)).toEqual(original); // the orphan is never read

    const report = await archiverFor(table, everythingButHeads).run();
    expect(report.reusedSegments).toBe(1);
    expect(report.events).toBe(21);
    expect(report.status.d1.events).toBe(3);
    expect(await segmentKeys(prefix)).toHaveLength(report.segments); // no orphan left behind
    expect(await readWholeLog(store)).toEqual(original);
    for (const stream of [{ aggregateType: 'Order', aggregateId: 'o2' }]) {
      expect((await store.readStream(stream)).map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    }
  });

  it('a crash between two segment writes keeps the first segment committed and the rest in D1; the re-run finishes', async () => {
    const { table, store, original } = await populatedLog();
    await expect(
      archiverFor(table, everythingButHeads, { afterSegmentCommit: crashOnCall(1) }).run(),
    ).rejects.toBeInstanceOf(Crash);
    const archiver = archiverFor(table, everythingButHeads);
    const halfway = await archiver.status();
    expect(halfway.archive.segments).toBe(1);
    expect(halfway.archive.events + halfway.d1.events).toBe(24);
    expect(await readWholeLog(store)).toEqual(original);

    const report = await archiver.run();
    expect(report.reusedSegments).toBe(0);
    expect(report.status.archive.events).toBe(21);
    expect(report.status.archive.events + report.status.d1.events).toBe(24);
    expect(ids(await readWholeLog(store, 5))).toEqual(ids(original));
    // Running again finds nothing more to do.
    expect((await archiver.run()).events).toBe(0);
  });

  it('a policy change after a crash never deletes events that are not archived', async () => {
    const { table, store, original } = await populatedLog();
    await expect(
      archiverFor(table, everythingButHeads, { afterSegmentWrite: crashOnCall(2) }).run(),
    ).rejects.toBeInstanceOf(Crash);
    const orphans = await segmentKeys(store.prefix);
    expect(orphans).toHaveLength(2); // one committed, one written but never committed

    // The operator switches to keepAll: nothing more leaves D1, the written-but-uncommitted segment stays unused.
    const kept = await archiverFor(table, { default: retention.keepAll() }).run();
    expect(kept.events).toBe(0);
    expect(kept.status.d1.events + kept.status.archive.events).toBe(24);
    expect(await readWholeLog(store)).toEqual(original);

    // A different policy plans different segments; the stale object is never read and is swept.
    const other = await archiverFor(table, { default: retention.keepLastEvents(6) }).run();
    expect(other.reusedSegments).toBe(0);
    expect(other.status.d1.events + other.status.archive.events).toBe(24);
    expect(await readWholeLog(store)).toEqual(original);
    const swept = await archiverFor(table, everythingButHeads).sweepOrphans(-1);
    expect(swept.deleted).toHaveLength(1);
    expect(orphans).toContain(swept.deleted[0]);
    expect(await segmentKeys(store.prefix)).toHaveLength(other.status.archive.segments);
    expect(await readWholeLog(store)).toEqual(original);
  });

  it('two archivers racing with different segment sizes never duplicate an event', async () => {
    const { table, store, original } = await populatedLog();
    const small = new EventArchiver(testEnv.ESCF_EVENTS, testEnv.ESCF_ARCHIVE, {
      table,
      retention: everythingButHeads,
      maxEventsPerSegment: 2,
    });
    const large = new EventArchiver(testEnv.ESCF_EVENTS, testEnv.ESCF_ARCHIVE, {
      table,
      retention: everythingButHeads,
      maxEventsPerSegment: 50,
    });
    const [a, b] = await Promise.all([small.run(), large.run()]);
    expect(a.events + b.events).toBe(21);
    const status = await small.status();
    expect(status.archive.events).toBe(21);
    expect(status.d1.events).toBe(3);
    expect(await readWholeLog(store)).toEqual(original);
  });

  it('stops at its per-run budget and says there is more', async () => {
    const { table, store, original } = await populatedLog();
    const archiver = new EventArchiver(testEnv.ESCF_EVENTS, testEnv.ESCF_ARCHIVE, {
      table,
      retention: everythingButHeads,
      maxRowsPerRun: 5,
      pageRows: 4,
    });
    const first = await archiver.run();
    expect(first).toMatchObject({ events: 5, more: true });
    let runs = 1;
    while ((await archiver.run()).more) runs += 1;
    expect(runs).toBeGreaterThanOrEqual(4);
    expect((await archiver.status()).archive.events).toBe(21);
    expect(await readWholeLog(store)).toEqual(original);
  });
});
