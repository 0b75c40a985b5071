// Events seeded at schema version 1 (seedStoredEvents) — as an old release
// would have stored them — are read as version 3 everywhere: by the aggregate
// rehydrating from its Durable Object's SQLite, by a projection filling a gap
// from D1, and by a projection rebuild. Nothing stored is rewritten.
import { seedStoredEvents } from '@escf/testing/workerd';
import { describe, expect, it } from 'vitest';
import { Counter } from './counter-domain.js';
import { counters, envelope, eventually, store, tallies, testEnv, uniqueId } from './helpers.js';

const tally = () => testEnv.TALLY;
const v1Values = [2, 3, 5];
const v1History = v1Values.map((value) => ({ type: 'Measured', schemaVersion: 1, payload: { value } }));

/** Seeds Measured v1 events into a Counter object's own storage, as an old release left them. */
async function writeV1InDurableObject(id: string): Promise<void> {
  await seedStoredEvents({
    aggregate: Counter,
    aggregateId: id,
    events: v1History,
    durableObject: testEnv.COUNTER_AGGREGATE,
  });
}

/** Seeds the same v1 events into the D1 event store, at the next free global position. */
async function writeV1InD1(id: string): Promise<void> {
  await seedStoredEvents({ aggregate: Counter, aggregateId: id, events: v1History, eventStore: testEnv.ESCF_EVENTS });
}

describe('stored version 1 events are read as version 3 everywhere', () => {
  it('by the aggregate, rehydrating from its own SQLite', async () => {
    const id = uniqueId('upcast-do');
    await writeV1InDurableObject(id);
    const result = await counters(testEnv).counter(id).measure({ amount: 10, unit: 'm' });
    expect(result.version).toBe(4);
    // The v1 events went through both lenses (unit 'm' is checked by the reducer).
    expect(await counters(testEnv).counter.state(id)).toEqual({ version: 4, state: { total: 20 } });
  });

  it('by a projection filling a gap from D1, and the stored rows stay at version 1', async () => {
    const id = uniqueId('upcast-gap');
    await writeV1InD1(id);
    const [fourth] = await (async () => {
      const e = envelope(id, 4, 'Measured', { amount: 1, unit: 'm' }, 3);
      await store().append({ aggregateType: 'Counter', aggregateId: id }, [e], { expectedVersion: 3 });
      return store().readStream({ aggregateType: 'Counter', aggregateId: id }, { fromVersion: 4 });
    })();
    await tally().deliver([fourth!]);
    expect(await tallies().TALLY.tally(id)).toEqual({ id, total: 11, history: '1m,2m,3m,4m' });
    const stored = await store().readStream({ aggregateType: 'Counter', aggregateId: id }, { limit: 3 });
    expect(stored.map((e) => [e.schemaVersion, e.payload])).toEqual(v1Values.map((value) => [1, { value }]));
  });

  it('seeded into both the object and the log, the history counts as delivered: the log gets only the new event', async () => {
    const id = uniqueId('upcast-both');
    await seedStoredEvents({
      aggregate: Counter,
      aggregateId: id,
      events: v1History,
      durableObject: testEnv.COUNTER_AGGREGATE,
      eventStore: testEnv.ESCF_EVENTS,
    });
    expect((await counters(testEnv).counter(id).measure({ amount: 1, unit: 'm' })).version).toBe(4);
    const logged = await eventually(
      async () => {
        const events = await store().readStream({ aggregateType: 'Counter', aggregateId: id });
        return events.length === 4 && events;
      },
      10_000,
      'the new event to reach D1',
    );
    expect(logged.map((e) => [e.version, e.schemaVersion])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 3],
    ]);
    expect(await tallies().TALLY.tally(id)).toBeDefined();
  });

  it('by a projection rebuild', async () => {
    const id = uniqueId('upcast-rebuild');
    await writeV1InD1(id);
    await tally().rebuild();
    await eventually(async () => (await tally().status()).rebuild?.status === 'done', 30_000, 'the rebuild to finish');
    expect(await tallies().TALLY.tally(id)).toEqual({ id, total: 10, history: '1m,2m,3m' });
  });
});
