import type { EventEnvelope } from '@escf/core';
import { describe, expect, it } from 'vitest';
import type { AggregateStorage, PrunedRange } from '../../src/aggregate/aggregate-storage.js';
import { type PrunedHistoryReader, readPrunedHistory } from '../../src/aggregate/pruned-history.js';

const stream = { aggregateType: 'Ledger', aggregateId: 'a' };
const storageWith = (pruned: PrunedRange | null) => ({ readPruned: () => pruned }) as unknown as AggregateStorage;
const event = (version: number) => ({ version }) as EventEnvelope;

/** A reader that answers from a list and records what it was asked. */
function reader(events: EventEnvelope[]): PrunedHistoryReader & { asked: unknown[] } {
  const asked: unknown[] = [];
  return {
    asked,
    async read(env, source, s, from, through) {
      asked.push({ env, source, s, from, through });
      return events.filter((e) => e.version >= from && e.version <= through);
    },
  };
}

describe('readPrunedHistory (the host side of the retention port)', () => {
  it('reads nothing when nothing was pruned past the snapshot', async () => {
    const history = reader([event(1)]);
    expect(await readPrunedHistory(storageWith(null), history, {}, stream, 0)).toEqual([]);
    expect(await readPrunedHistory(storageWith({ throughVersion: 3, source: {} }), history, {}, stream, 3)).toEqual([]);
    expect(history.asked).toEqual([]);
  });

  it('asks the reader for exactly the pruned range, with the recorded source', async () => {
    const history = reader([1, 2, 3, 4].map(event));
    const source = { d1: 'ESCF_EVENTS' };
    const events = await readPrunedHistory(storageWith({ throughVersion: 3, source }), history, 'env', stream, 1);
    expect(events.map((e) => e.version)).toEqual([2, 3]);
    expect(history.asked).toEqual([{ env: 'env', source, s: stream, from: 2, through: 3 }]);
  });

  it('refuses to load pruned history without a reader, naming the option', async () => {
    await expect(
      readPrunedHistory(storageWith({ throughVersion: 3, source: {} }), undefined, {}, stream, 0),
    ).rejects.toMatchObject({
      code: 'DEFINITION_ERROR',
      message: expect.stringContaining('prunedHistory: archivedHistory'),
    });
  });

  it('refuses an incomplete range instead of replaying a state with holes', async () => {
    await expect(
      readPrunedHistory(storageWith({ throughVersion: 3, source: {} }), reader([event(2)]), {}, stream, 0),
    ).rejects.toThrow(/incomplete: expected versions 1\.\.3, found 1/);
  });
});
