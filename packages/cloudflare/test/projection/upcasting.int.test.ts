// Events written at schema version 1 by raw SQL — as an old release would
// have stored them — are read as version 3 everywhere: by the aggregate
// rehydrating from its Durable Object's SQLite, by a projection filling a gap
// from D1, and by a projection rebuild. Nothing stored is rewritten.
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { durableObjectName } from '../../src/index.js';
import { counters, envelope, eventually, store, testEnv, uniqueId } from './helpers.js';

const tally = () => testEnv.TALLY;
const v1Values = [2, 3, 5];

/** Writes Measured v1 rows straight into a Counter object's own SQLite. */
async function writeV1InDurableObject(id: string): Promise<void> {
  const stub = testEnv.COUNTER_AGGREGATE.get(testEnv.COUNTER_AGGREGATE.idFromName(durableObjectName({ aggregateId: id })));
  await runInDurableObject(stub as unknown as DurableObjectStub, (_instance: unknown, state: DurableObjectState) => {
    // As older code left it: the events table (the host creates the rest on first use).
    state.storage.sql.exec(
      'CREATE TABLE IF NOT EXISTS escf_events (version INTEGER PRIMARY KEY, id TEXT NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL, payload TEXT NOT NULL, metadata TEXT NOT NULL, timestamp INTEGER NOT NULL, position INTEGER)',
    );
    v1Values.forEach((value, index) => {
      state.storage.sql.exec(
        'INSERT INTO escf_events (version, id, type, schema_version, payload, metadata, timestamp) VALUES (?, ?, ?, 1, ?, ?, ?)',
        index + 1,
        `${id}-v1-${index + 1}`,
        'Measured',
        JSON.stringify({ value }),
        JSON.stringify({ correlationId: id, causationId: id }),
        Date.now(),
      );
    });
  });
}

/** Writes the same v1 events as one row of the D1 event store, at the next free global position. */
async function writeV1InD1(id: string): Promise<void> {
  const events = v1Values.map((value, index) => {
    const { position: _position, ...stored } = envelope(id, index + 1, 'Measured', { value }, 1);
    return stored;
  });
  await testEnv.ESCF_EVENTS.prepare(
    `INSERT INTO escf_events (position, tenant_id, aggregate_type, aggregate_id, first_version, event_count, events)
     VALUES ((SELECT COALESCE(MAX(position + event_count), 1) FROM escf_events), '', 'Counter', ?1, 1, ?2, ?3)`,
  )
    .bind(id, events.length, JSON.stringify(events))
    .run();
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
    expect(await tally().tally(id)).toEqual({ id, total: 11, history: '1m,2m,3m,4m' });
    const stored = await store().readStream({ aggregateType: 'Counter', aggregateId: id }, { limit: 3 });
    expect(stored.map((e) => [e.schemaVersion, e.payload])).toEqual(v1Values.map((value) => [1, { value }]));
  });

  it('by a projection rebuild', async () => {
    const id = uniqueId('upcast-rebuild');
    await writeV1InD1(id);
    await tally().rebuild();
    await eventually(async () => (await tally().status()).rebuild?.status === 'done', 30_000, 'the rebuild to finish');
    expect(await tally().tally(id)).toEqual({ id, total: 10, history: '1m,2m,3m' });
  });
});
