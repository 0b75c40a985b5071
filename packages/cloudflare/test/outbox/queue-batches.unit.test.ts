import { describe, expect, it } from 'vitest';
import { splitIntoQueueBatches } from '../../src/outbox/queue-batches.js';

describe('splitIntoQueueBatches', () => {
  it('keeps at most 100 messages per batch, in order', () => {
    const batches = splitIntoQueueBatches(Array.from({ length: 250 }, (_, i) => ({ i })));
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batches.flat().map((m) => m.i)).toEqual(Array.from({ length: 250 }, (_, i) => i));
  });

  it('keeps each batch under 256 KB', () => {
    const big = Array.from({ length: 10 }, (_, i) => ({ i, blob: 'x'.repeat(60_000) }));
    const batches = splitIntoQueueBatches(big);
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
    for (const batch of batches) expect(JSON.stringify(batch).length).toBeLessThan(256 * 1024);
  });

  it('gives an oversized message a batch of its own', () => {
    const batches = splitIntoQueueBatches([{ a: 1 }, { blob: 'x'.repeat(300_000) }, { b: 2 }]);
    expect(batches.map((b) => b.length)).toEqual([1, 1, 1]);
  });

  it('returns no batches for no messages', () => {
    expect(splitIntoQueueBatches([])).toEqual([]);
  });
});
