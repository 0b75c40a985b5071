import { SyncNotDeclaredError } from '@escf/core';
import { describe, expect, it } from 'vitest';
import { aggregates, d1Events, testEnv, uniqueId } from '../helpers.js';

describe('read-your-writes names the synchronous subscriber it waits for', () => {
  it('waits for a declared synchronous subscriber', async () => {
    const id = uniqueId('sync-named');
    const result = await aggregates(testEnv, { sync: 'SUBSCRIBER' }).routedLamp(id).switchOn({});
    const delivered = (await testEnv.SUBSCRIBER.received()).filter((e) => e.aggregateId === id);
    expect(delivered.map((e) => e.id)).toEqual(result.events.map((e) => e.id));
  });

  it('refuses, before the command runs, a subscriber the host does not deliver to synchronously', async () => {
    const id = uniqueId('sync-undeclared');
    const error = await aggregates(testEnv, { sync: ['SUBSCRIBER', 'balances'] })
      .routedLamp(id)
      .switchOn({})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncNotDeclaredError);
    expect(error).toMatchObject({
      code: 'SYNC_NOT_DECLARED',
      details: { aggregateType: 'Lamp', requested: ['SUBSCRIBER', 'balances'], declared: ['SUBSCRIBER'] },
    });
    expect((error as Error).message).toContain("delivery: 'sync'");
    expect((await aggregates(testEnv).routedLamp.state(id)).version).toBe(0);
    expect(await d1Events(id)).toEqual([]);

    // A host with no synchronous subscriber at all says so.
    const none = await aggregates(testEnv, { sync: 'sessions' })
      .localNote(uniqueId('sync-none'))
      .write({ text: 'x' })
      .catch((e: unknown) => e);
    expect(none).toMatchObject({ code: 'SYNC_NOT_DECLARED', details: { declared: [] } });
  });

  it('sync: true waits for every synchronous subscriber of the host', async () => {
    const id = uniqueId('sync-every');
    const result = await aggregates(testEnv, { sync: true }).routedLamp(id).switchOn({});
    const delivered = (await testEnv.SUBSCRIBER.received()).filter((e) => e.aggregateId === id);
    expect(delivered.map((e) => e.id)).toEqual(result.events.map((e) => e.id));
  });

  it('sync: true on a host with no synchronous subscriber refuses before storing, instead of guaranteeing only D1', async () => {
    const id = uniqueId('sync-true-none');
    const error = await aggregates(testEnv, { sync: true })
      .localNote(id)
      .write({ text: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncNotDeclaredError);
    expect(error).toMatchObject({
      code: 'SYNC_NOT_DECLARED',
      details: { aggregateType: 'Note', requested: ['*'], declared: [] },
    });
    expect((error as Error).message).toContain('sync: []');
    expect((await aggregates(testEnv).localNote.state(id)).version).toBe(0);
    expect(await d1Events(id)).toEqual([]);
  });

  it('sync: [] waits for D1 only, on any host', async () => {
    const id = uniqueId('sync-d1');
    const result = await aggregates(testEnv, { sync: [] }).localNote(id).write({ text: 'x' });
    expect((await d1Events(id)).map((e) => e.id)).toEqual(result.events.map((e) => e.id));
  });
});
