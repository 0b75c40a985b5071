import { evictDurableObject } from 'cloudflare:test';
import type { EventEnvelope } from '@escf/core';
import { engineFor } from '@escf/core/internal';
import { retention } from '@escf/core/retention';
import type { StreamId } from '@escf/core/store';
import { eventDefinitionOf, Upcaster } from '@escf/core/upcast';
import { makeEvents } from '@escf/testing/conformance';
import { describe, expect, it } from 'vitest';
import {
  ArchivingEventStore,
  defaultArchivePrefix,
  durableObjectRetention,
  EventArchiver,
} from '../../src/archive/index.js';
import { aggregateClients } from '../../src/index.js';
import { invalidateSnapshot, localEventCount, readWholeLog, testEnv } from './helpers.js';
import { Deposited, Ledger, Withdrawn } from './ledger-domain.js';

const aggregates = aggregateClients({ ledger: { aggregate: Ledger, binding: 'LEDGER_AGGREGATE' } });
const upcaster = new Upcaster([Deposited, Withdrawn].map((event) => eventDefinitionOf(event)!));
const run = Date.now().toString(36);

/** A read model folded from the whole log through the upcast chains: balance and entry count per ledger of this run. */
async function readModel(
  store: ArchivingEventStore,
): Promise<Record<string, { balance: number; entries: number; last: number }>> {
  const model: Record<string, { balance: number; entries: number; last: number }> = {};
  for (const event of await readWholeLog(store, 50)) {
    if (!event.aggregateId.startsWith(run)) continue;
    for (const reading of upcaster.read(event)) {
      const row = (model[event.aggregateId] ??= { balance: 0, entries: 0, last: 0 });
      const amount = (reading.payload as { amount: number }).amount;
      row.balance += reading.type === 'Deposited' ? amount : -amount;
      row.entries += 1;
      row.last = event.position!;
    }
  }
  return model;
}

/** State rehydrated from the log alone (archive + D1), as a fresh host would. */
function rehydrate(events: EventEnvelope[]) {
  const engine = engineFor(Ledger);
  const instance = engine.create('x');
  engine.replay(instance, events);
  return engine.stateOf(instance);
}

const localEvents = (id: string) => localEventCount(testEnv.LEDGER_AGGREGATE, id);

describe('archive, then rebuild and rehydrate across the archive boundary', () => {
  it('gives the same read model, the same streams and the same aggregate state; pruned Durable Objects still load', async () => {
    const store = new ArchivingEventStore(testEnv.ESCF_EVENTS, testEnv.ESCF_ARCHIVE);
    const ledgers = aggregates(testEnv, { sync: [] }).ledger;
    const ids = [`${run}-a`, `${run}-b`];
    for (let i = 1; i <= 10; i++) await ledgers(ids[0]!).deposit({ amount: i * 10, memo: `#${i}` });
    await ledgers(ids[0]!).withdraw({ amount: 15 });
    for (let i = 1; i <= 5; i++) await ledgers(ids[1]!).deposit({ amount: 7, memo: '' });
    // A legacy stream written by old code: Deposited v1 ({ cents }), read through the lens.
    const legacy: StreamId = { aggregateType: 'LegacyLedger', aggregateId: `${run}-legacy` };
    await store.append(
      legacy,
      makeEvents(legacy, 1, 4, 'Deposited').map((e, i) => ({ ...e, payload: { cents: 100 + i } })),
      { expectedVersion: 0 },
    );
    await store.append(
      legacy,
      makeEvents(legacy, 5, 1, 'Deposited').map((e) => ({ ...e, payload: { cents: 5 } })),
      { expectedVersion: 4 },
    );

    const modelBefore = await readModel(store);
    const streamsBefore = await Promise.all(
      ids.map((id) => store.readStream({ aggregateType: 'Ledger', aggregateId: id })),
    );
    expect(modelBefore[`${run}-legacy`]).toEqual({
      balance: 100 + 101 + 102 + 103 + 5,
      entries: 5,
      last: expect.any(Number),
    });

    const archiver = new EventArchiver(testEnv.ESCF_EVENTS, testEnv.ESCF_ARCHIVE, {
      retention: {
        default: retention.keepSinceSnapshot(),
        aggregates: { LegacyLedger: retention.keepLastEvents(1) },
        pruneDurableObjects: ['Ledger'],
      },
      aggregates: durableObjectRetention(testEnv, {
        bindings: { Ledger: 'LEDGER_AGGREGATE' },
        history: { d1: 'ESCF_EVENTS', bucket: 'ESCF_ARCHIVE', table: 'escf_events', prefix: defaultArchivePrefix() },
      }),
    });
    const report = await archiver.run();
    expect(report.events).toBe(10 + 4 + 4); // all but each stream's head batch
    expect(report.snapshotsTaken).toBe(2);
    expect(report.prunedDurableObjectEvents).toBe(10 + 4);
    expect(await localEvents(ids[0]!)).toBe(1);

    // Rebuild: the same read model from R2 + D1, through the same upcast chain.
    expect(await readModel(store)).toEqual(modelBefore);
    const streamsAfter = await Promise.all(
      ids.map((id) => store.readStream({ aggregateType: 'Ledger', aggregateId: id })),
    );
    expect(streamsAfter).toEqual(streamsBefore);
    // Rehydration from the log equals the live aggregate's state.
    for (const [index, id] of ids.entries()) {
      expect(rehydrate(streamsAfter[index]!)).toEqual(await aggregates(testEnv).ledger.state(id));
    }
    expect(rehydrate(await store.readStream(legacy)).state).toEqual({ balance: 411, entries: 5 });

    // A pruned object whose snapshot is invalidated (new code) rebuilds from the archive and keeps working.
    const stub = testEnv.LEDGER_AGGREGATE.get(testEnv.LEDGER_AGGREGATE.idFromName(ids[0]!));
    await invalidateSnapshot(testEnv.LEDGER_AGGREGATE, ids[0]!);
    await evictDurableObject(stub);
    expect(await aggregates(testEnv).ledger.state(ids[0]!)).toEqual({
      version: 11,
      state: { balance: 535, entries: 11 },
    });
    await expect(ledgers(ids[0]!).deposit({ amount: 1, memo: 'after' })).resolves.toMatchObject({ version: 12 });
    expect((await store.readStream({ aggregateType: 'Ledger', aggregateId: ids[0]! })).map((e) => e.version)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ]);
  });
});
