// EventsTable.countAfter (what the admin entrypoint counts a sharded
// projection's lag with): events of the given types after a position, each
// once, rows holding several events included — and a bounded read.
import { makeEvents } from '@escf/testing/conformance';
import { describe, expect, it } from 'vitest';
import { D1EventStore } from '../../src/event-store/d1-event-store.js';
import { EventsTable } from '../../src/event-store/events-table.js';
import { testEnv } from '../helpers.js';

describe('EventsTable.countAfter', () => {
  it('counts the events of some types after a position, within at most maxRows rows', async () => {
    const name = `count_after_${Date.now().toString(36)}`;
    const table = new EventsTable(testEnv.ESCF_EVENTS, name);
    await table.create();
    const store = new D1EventStore(testEnv.ESCF_EVENTS, { table: name });
    const stream = { aggregateType: 'User', aggregateId: 'counted' };
    // Ten appends of two events each: ten rows, positions 1..20.
    for (let round = 0; round < 10; round++)
      await store.append(stream, makeEvents(stream, round * 2 + 1, 2), { expectedVersion: round * 2 });
    const types = [...new Set((await store.readStream(stream)).map((e) => e.type))];
    expect(await table.countAfter(0, types)).toMatchObject({ events: 20 });
    // A position inside a row counts only that row's later events.
    expect(await table.countAfter(7, types)).toMatchObject({ events: 13 });
    expect(await table.countAfter(20, types)).toEqual({ events: 0, oldest: null });
    expect(await table.countAfter(0, ['NoSuchType'])).toEqual({ events: 0, oldest: null });
    // Far behind: the read stops after maxRows rows (a lower bound), here 3 rows = 6 events.
    expect(await table.countAfter(0, types, 3)).toMatchObject({ events: 6 });
    expect(await table.countAfter(7, types, 3)).toMatchObject({ events: 5 });
  });
});
