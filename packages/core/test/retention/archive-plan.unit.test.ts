import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  batchStreamKey,
  planArchive,
  type StoredBatch,
  streamsNeedingSnapshots,
} from '../../src/retention/archive-plan.js';
import {
  archivesAnything,
  defineRetention,
  policyFor,
  prunesDurableObjects,
  type RetentionConfig,
  retention,
} from '../../src/retention/retention-policy.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = 1_800_000_000_000;

/** Batches of one-event-per-version streams, laid out as `[stream, version]` pairs in position order. */
function layout(
  entries: Array<[string, number, number?]>,
  options: { bytes?: number; ageDays?: (position: number) => number } = {},
): StoredBatch[] {
  const heads = new Map<string, number>();
  for (const [id, version, count = 1] of entries) heads.set(id, Math.max(heads.get(id) ?? 0, version + count - 1));
  let position = 1;
  return entries.map(([id, version, count = 1]) => {
    const type = id.split(':')[0]!;
    const batch: StoredBatch = {
      position,
      tenantId: '',
      aggregateType: type,
      aggregateId: id,
      firstVersion: version,
      eventCount: count,
      bytes: options.bytes ?? 100,
      newestTimestamp: NOW - (options.ageDays?.(position) ?? 0) * DAY,
      streamHead: heads.get(id)!,
    };
    position += count;
    return batch;
  });
}

const plan = (
  batches: StoredBatch[],
  config: RetentionConfig,
  extra: { hotBytes?: number; snapshots?: Record<string, number> } = {},
) =>
  planArchive(batches, {
    retention: defineRetention(config),
    now: NOW,
    hotBytes: extra.hotBytes ?? batches.reduce((sum, b) => sum + b.bytes, 0),
    snapshotVersions: new Map(Object.entries(extra.snapshots ?? {})),
  }).archive.map((b) => `${b.aggregateId}@${b.firstVersion}`);

describe('retention policies', () => {
  it('keeps everything by default', () => {
    const resolved = defineRetention();
    expect(policyFor(resolved, 'User')).toEqual({ kind: 'keepAll' });
    expect(archivesAnything(resolved)).toBe(false);
    expect(
      plan(
        layout([
          ['User:a', 1],
          ['User:a', 2],
          ['User:a', 3],
        ]),
        {},
      ),
    ).toEqual([]);
  });

  it('lets an aggregate type override the system policy', () => {
    const resolved = defineRetention({
      default: retention.keepDays(30),
      aggregates: { Audit: retention.keepAll() },
      pruneDurableObjects: ['Order'],
    });
    expect(policyFor(resolved, 'User')).toEqual({ kind: 'keepDays', days: 30 });
    expect(policyFor(resolved, 'Audit')).toEqual({ kind: 'keepAll' });
    expect(archivesAnything(resolved)).toBe(true);
    expect(prunesDurableObjects(resolved, 'Order')).toBe(true);
    expect(prunesDurableObjects(resolved, 'User')).toBe(false);
  });

  it('rejects nonsense with a message naming the entry', () => {
    expect(() => retention.keepDays(0)).toThrow(/keepDays\(0\)/);
    expect(() => retention.keepLastEvents(1.5)).toThrow(/non-negative integer/);
    expect(() => defineRetention({ aggregates: { Order: { kind: 'keepDays', days: -1 } } })).toThrow(/keepDays\(-1\)/);
    expect(() => defineRetention({ aggregates: { Order: { kind: 'forever' } as never } })).toThrow(
      /aggregate type 'Order'/,
    );
  });
});

describe('planArchive', () => {
  it('keepDays archives batches older than the horizon, never a stream head', () => {
    const batches = layout(
      [
        ['User:a', 1],
        ['User:b', 1],
        ['User:a', 2],
        ['User:a', 3],
        ['User:b', 2],
      ],
      { ageDays: (position) => [0, 40, 40, 40, 10, 5][position]! },
    );
    expect(plan(batches, { default: retention.keepDays(30) })).toEqual(['User:a@1', 'User:b@1', 'User:a@2']);
  });

  it('keepLastEvents keeps the last N events of each aggregate', () => {
    const batches = layout([
      ['Order:a', 1, 3],
      ['Order:a', 4, 2],
      ['Order:a', 6, 1],
      ['Order:b', 1, 2],
    ]);
    expect(plan(batches, { default: retention.keepLastEvents(3) })).toEqual(['Order:a@1']);
    expect(plan(batches, { default: retention.keepLastEvents(0) })).toEqual(['Order:a@1', 'Order:a@4']); // heads stay
  });

  it('keepSinceSnapshot archives up to each stream’s snapshot and nothing without one', () => {
    const batches = layout([
      ['Cart:a', 1],
      ['Cart:a', 2],
      ['Cart:b', 1],
      ['Cart:a', 3],
      ['Cart:b', 2],
      ['Cart:a', 4],
    ]);
    expect(plan(batches, { default: retention.keepSinceSnapshot() }, { snapshots: { '/Cart/Cart:a': 3 } })).toEqual([
      'Cart:a@1',
      'Cart:a@2',
      'Cart:a@3',
    ]);
    expect(
      streamsNeedingSnapshots(batches, defineRetention({ default: retention.keepSinceSnapshot() })).map(batchStreamKey),
    ).toEqual(['/Cart/Cart:a', '/Cart/Cart:b']);
  });

  it('keepD1Bytes archives the oldest batches until the hot store is under budget', () => {
    const batches = layout(
      [
        ['Log:a', 1],
        ['Log:b', 1],
        ['Log:a', 2],
        ['Log:b', 2],
        ['Log:a', 3],
      ],
      { bytes: 100 },
    );
    expect(plan(batches, { default: retention.keepD1Bytes(250) }, { hotBytes: 500 })).toEqual([
      'Log:a@1',
      'Log:b@1',
      'Log:a@2',
    ]);
    expect(plan(batches, { default: retention.keepD1Bytes(1000) }, { hotBytes: 500 })).toEqual([]);
  });

  it('applies per-type overrides within one page', () => {
    const batches = layout(
      [
        ['User:a', 1],
        ['Audit:x', 1],
        ['User:a', 2],
        ['Audit:x', 2],
      ],
      { ageDays: () => 100 },
    );
    expect(plan(batches, { default: retention.keepDays(1), aggregates: { Audit: retention.keepAll() } })).toEqual([
      'User:a@1',
    ]);
  });

  it('carries blocked streams and planned bytes to the next page of the same run', () => {
    const batches = layout(
      [
        ['User:a', 1],
        ['User:a', 2],
        ['User:a', 3],
      ],
      { ageDays: (p) => (p === 1 ? 1 : 100) },
    );
    const context = { retention: defineRetention({ default: retention.keepDays(30) }), now: NOW, hotBytes: 300 };
    const first = planArchive(batches.slice(0, 1), context);
    expect(first.archive).toEqual([]);
    const second = planArchive(batches.slice(1), {
      ...context,
      blocked: first.blocked,
      plannedBytes: first.plannedBytes,
    });
    expect(second.archive).toEqual([]); // version 2 is old, but version 1 stays, so it stays too
  });

  it('always archives a per-stream prefix and keeps every stream head (property)', () => {
    const streams = ['A:1', 'A:2', 'B:1'];
    const policies: RetentionConfig[] = [
      { default: retention.keepDays(10) },
      { default: retention.keepLastEvents(2) },
      { default: retention.keepD1Bytes(300) },
      { default: retention.keepLastEvents(0), aggregates: { B: retention.keepDays(5) } },
    ];
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom(...streams), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 20 })),
          { maxLength: 30 },
        ),
        fc.constantFrom(...policies),
        (entries, config) => {
          const versions = new Map<string, number>();
          const ages: number[] = [0];
          const laid: Array<[string, number, number]> = entries.map(([id, count, age]) => {
            const version = (versions.get(id) ?? 0) + 1;
            versions.set(id, version + count - 1);
            for (let i = 0; i < count; i++) ages.push(age);
            return [id, version, count];
          });
          const batches = layout(laid, { ageDays: (p) => ages[p] ?? 0 });
          const archived = new Set(plan(batches, config));
          for (const id of streams) {
            const ofStream = batches.filter((b) => b.aggregateId === id);
            const flags = ofStream.map((b) => archived.has(`${id}@${b.firstVersion}`));
            // A prefix: once false, always false; and the head batch never leaves.
            const firstKept = flags.indexOf(false);
            expect(firstKept === -1 || flags.slice(firstKept).every((f) => !f)).toBe(true);
            if (ofStream.length > 0) expect(flags.at(-1)).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
