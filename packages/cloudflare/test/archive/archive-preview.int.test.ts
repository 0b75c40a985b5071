import { retention } from '@escf/core/retention';
import { describe, expect, it } from 'vitest';
import { ArchivingEventStore, EventArchiver } from '../../src/archive/index.js';
import { appendOneByOne, DAY, d1RowCount, freshTable, segmentKeys, testEnv } from './helpers.js';

describe('archive preview (what the next run would move)', () => {
  it('reports the rows, events and bytes the next run would archive per type, and changes nothing', async () => {
    const table = await freshTable('preview');
    const store = new ArchivingEventStore(testEnv.ESCF_EVENTS, testEnv.ESCF_ARCHIVE, { table });
    const now = Date.now();
    await appendOneByOne(store, { aggregateType: 'Old', aggregateId: 'a' }, 4, () => now - 40 * DAY);
    await appendOneByOne(store, { aggregateType: 'New', aggregateId: 'b' }, 3, () => now);
    const archiver = new EventArchiver(testEnv.ESCF_EVENTS, testEnv.ESCF_ARCHIVE, {
      table,
      prefix: `${table}/`,
      retention: { default: retention.keepDays(30) },
    });

    const preview = await archiver.preview();
    // The old stream's batches except its head; nothing of the new one.
    expect(preview).toMatchObject({
      rows: 3,
      events: 3,
      awaitingSnapshot: 0,
      more: false,
      byType: [{ aggregateType: 'Old', rows: 3, events: 3 }],
    });
    expect(preview.bytes).toBeGreaterThan(0);
    expect(await d1RowCount(table)).toBe(7);
    expect(await segmentKeys(`${table}/`)).toEqual([]);

    // The run then moves exactly that, and the next preview is empty.
    expect(await archiver.run()).toMatchObject({ rows: 3, events: 3 });
    expect(await archiver.preview()).toMatchObject({ rows: 0, byType: [] });
  });

  it('counts streams that would need a snapshot first, and previews nothing for keepAll', async () => {
    const table = await freshTable('preview');
    const store = new ArchivingEventStore(testEnv.ESCF_EVENTS, testEnv.ESCF_ARCHIVE, { table });
    await appendOneByOne(store, { aggregateType: 'Snap', aggregateId: 's' }, 3, () => Date.now());
    const snapshotting = new EventArchiver(testEnv.ESCF_EVENTS, testEnv.ESCF_ARCHIVE, {
      table,
      retention: { default: retention.keepSinceSnapshot() },
    });
    expect(await snapshotting.preview()).toMatchObject({ rows: 0, awaitingSnapshot: 1 });
    const keeping = new EventArchiver(testEnv.ESCF_EVENTS, testEnv.ESCF_ARCHIVE, { table, retention: {} });
    expect(await keeping.preview()).toEqual({
      rows: 0,
      events: 0,
      bytes: 0,
      byType: [],
      awaitingSnapshot: 0,
      more: false,
    });
  });
});
