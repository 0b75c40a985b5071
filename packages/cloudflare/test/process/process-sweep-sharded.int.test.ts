// The log sweep over a sharded event store: positions are per shard, so the
// sweep keeps one position per shard. A delivery lost in a shard whose
// positions are far behind another's is still swept, every shard starts
// when the process handles its first event (at that moment, never replaying
// the history before it), and a shard added later is swept from its start.
import { type Envelope, type EventEnvelope, EventHandler, Process, type ProcessHandlerContext } from '@escf/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { EventsTable } from '../../src/event-store/events-table.js';
import { shardIndex } from '../../src/event-store/shard-map.js';
import { ShardedD1EventStore } from '../../src/event-store/sharded-event-store.js';
import { processEntrypoint } from '../../src/index.js';
import { Counted, type Counted as CountedPayload } from '../projection/counter-domain.js';
import { envelope, testEnv, uniqueId } from '../projection/helpers.js';

interface Effects {
  notify(target: string, detail: string): Promise<void>;
}

@Process('sharded-sweeper')
class ShardedSweeper {
  @EventHandler(Counted)
  async onCounted(e: Envelope<CountedPayload>, { effects }: ProcessHandlerContext<Effects>) {
    await effects.notify(`sharded-swept:${e.aggregateId}`, `v${e.version}`);
  }
}

let log: ShardedD1EventStore;
let ahead = 0;
const GRACE_MS = 60_000;
const Sweeper = processEntrypoint(ShardedSweeper, {
  database: 'NOTIFIER_DB',
  eventStore: () => log,
  clock: { now: () => Date.now() + ahead },
  sweep: { graceMs: GRACE_MS, intervalMs: Number.MAX_SAFE_INTEGER, pageSize: 3 },
  effects: (): Effects => ({
    async notify(target, detail) {
      await testEnv.NOTIFIER_DB.prepare('INSERT INTO effects (target, detail) VALUES (?, ?)')
        .bind(target, detail)
        .run();
    },
  }),
});
const sweeper = () => new Sweeper({ waitUntil() {}, passThroughOnException() {}, props: {} } as never, testEnv);

beforeAll(async () => {
  const table = `sweep_shards_${Date.now().toString(36)}`;
  const shards = [testEnv.ESCF_EVENTS, testEnv.ESCF_EVENTS_1];
  await Promise.all(shards.map((db) => new EventsTable(db, table).create()));
  log = new ShardedD1EventStore(shards, { table });
});

async function effectsFor(id: string): Promise<string[]> {
  const { results } = await testEnv.NOTIFIER_DB.prepare('SELECT detail FROM effects WHERE target = ? ORDER BY n')
    .bind(`sharded-swept:${id}`)
    .all<{ detail: string }>();
  return results.map((r) => r.detail);
}

/** A new Counter id whose stream lives in `shard` (of 2). */
function idInShard(shard: number, prefix: string): string {
  for (;;) {
    const id = uniqueId(prefix);
    if (shardIndex({ aggregateType: 'Counter', aggregateId: id }, 2) === shard) return id;
  }
}

/** Appends `Counted` versions `from`..`to` of a stream and returns them as stored (with their shard's positions). */
async function append(id: string, from: number, to: number): Promise<EventEnvelope[]> {
  const stream = { aggregateType: 'Counter', aggregateId: id };
  const events = Array.from({ length: to - from + 1 }, (_, i) => envelope(id, from + i, 'Counted', { by: 1 }, 2));
  await log.append(stream, events, { expectedVersion: from - 1 });
  return log.readStream(stream, { fromVersion: from });
}

async function sweepToEnd() {
  for (let i = 0; i < 50; i++) {
    const report = await sweeper().sweep();
    if (report.caughtUp) return report;
  }
  throw new Error('the sweep did not catch up');
}

describe('process log sweep over a sharded event store', () => {
  it('sweeps each shard from its own position: a lost delivery in a shard far behind another is handled, once', async () => {
    ahead = 0;
    const before = idInShard(1, 'history'); // shard 1's history before the process handled anything
    await append(before, 1, 2);
    const busy = idInShard(0, 'busy');
    const quiet = idInShard(1, 'quiet');
    // Shard 0 runs far ahead: positions 1..9 there.
    const delivered = await append(busy, 1, 9);
    expect(await sweeper().deliver(delivered)).toMatchObject({ handled: 9 });

    ahead = GRACE_MS + 1_000;
    const first = await sweepToEnd();
    expect(first.shards).toEqual([9, 2]); // shard 1 started at its head when the process began

    // Shard 1's next event (position 3 there, far below shard 0's 9) is never delivered.
    const [lost] = await append(quiet, 1, 1);
    expect(lost!.position).toBe(3);
    const second = await sweepToEnd();
    expect(second).toMatchObject({ handled: 1, shards: [9, 3] });
    expect(await effectsFor(quiet)).toEqual(['v1']);
    expect((await sweeper().status()).swept).toBe(12);

    // Nothing twice, and the history before the process's start stays untouched.
    await sweepToEnd();
    expect(await sweeper().deliver([lost!])).toMatchObject({ handled: 0, duplicates: 1 });
    expect(await effectsFor(quiet)).toEqual(['v1']);
    expect(await effectsFor(before)).toEqual([]);
    expect(await effectsFor(busy)).toHaveLength(9);
  });

  it('sweeps a shard that has no position yet (added after the process started) from its beginning', async () => {
    ahead = 0;
    const added = idInShard(1, 'added');
    // As if shard 1 had been added after the process started: no position for it. Its whole log is
    // swept (here that includes the first test's history stream; a shard really added later holds
    // only events younger than the process).
    await testEnv.NOTIFIER_DB.prepare(
      "DELETE FROM escf_process_streams WHERE process = 'sharded-sweeper' AND stream = '*1'",
    ).run();
    const [lost] = await append(added, 1, 1);
    ahead = GRACE_MS + 1_000;
    const report = await sweepToEnd();
    expect(report.shards![1]).toBe(lost!.position);
    expect(await effectsFor(added)).toEqual(['v1']);
  });
});
