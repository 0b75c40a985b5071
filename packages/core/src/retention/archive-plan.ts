import { streamKey } from '../store/event-store.js';
import { daysToMs, policyFor, type ResolvedRetention } from './retention-policy.js';

/**
 * One stored batch of one aggregate's events in the hot store, as the
 * planner sees it (the D1 store keeps one row per batch; a Durable Object's
 * events are batches of one).
 */
export interface StoredBatch {
  /** Global position of the batch's first event. */
  readonly position: number;
  /** `''` outside multi-tenant systems. */
  readonly tenantId: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly firstVersion: number;
  readonly eventCount: number;
  /** Stored size of the batch's events, in bytes. */
  readonly bytes: number;
  /** Timestamp (ms) of the batch's newest event. */
  readonly newestTimestamp: number;
  /** The stream's newest version in the hot store. */
  readonly streamHead: number;
}

/** What {@link planArchive} needs besides the batches. */
export interface ArchivePlanContext {
  readonly retention: ResolvedRetention;
  /** Now, in ms (injected so plans are reproducible). */
  readonly now: number;
  /** Bytes of events the hot store holds before this run. */
  readonly hotBytes: number;
  /** Latest snapshot version by {@link batchStreamKey}, for `keepSinceSnapshot` streams. */
  readonly snapshotVersions?: ReadonlyMap<string, number>;
  /** Streams that keep an older batch (from earlier pages of the same run): their later batches stay too. */
  readonly blocked?: ReadonlySet<string>;
  /** Bytes already planned for archiving by earlier pages of the same run. */
  readonly plannedBytes?: number;
}

/** The batches to archive, and what the next page of the same run must know. */
export interface ArchivePlan {
  /** Batches to move to the archive, in position order. */
  readonly archive: StoredBatch[];
  /** Streams with a batch that stays (so none of their later batches may leave). */
  readonly blocked: Set<string>;
  /** Bytes planned so far in this run, including earlier pages. */
  readonly plannedBytes: number;
}

/** The key the planner uses for a batch's stream (same shape as core's `streamKey`). */
export function batchStreamKey(batch: Pick<StoredBatch, 'tenantId' | 'aggregateType' | 'aggregateId'>): string {
  // The one stream key of the system: tenants are encoded, so ids with '/' cannot collide.
  return streamKey({
    aggregateType: batch.aggregateType,
    aggregateId: batch.aggregateId,
    ...(batch.tenantId ? { tenantId: batch.tenantId } : {}),
  });
}

/**
 * Decides which batches leave the hot store. Pure: the archiver feeds it one
 * page of batches at a time, oldest position first, and passes `blocked` and
 * `plannedBytes` on to the next page.
 *
 * Rules that hold for every policy:
 * - per stream, only a prefix leaves (a batch stays once an older one stays),
 *   so a stream is always "archive, then hot store" in version order;
 * - the newest batch of every stream stays, so appends keep their guard.
 */
export function planArchive(batches: readonly StoredBatch[], context: ArchivePlanContext): ArchivePlan {
  const blocked = new Set(context.blocked ?? []);
  let plannedBytes = context.plannedBytes ?? 0;
  const archive: StoredBatch[] = [];
  for (const batch of batches) {
    const key = batchStreamKey(batch);
    const lastVersion = batch.firstVersion + batch.eventCount - 1;
    const leaves =
      !blocked.has(key) && lastVersion < batch.streamHead && eligible(batch, lastVersion, key, context, plannedBytes);
    if (leaves) {
      archive.push(batch);
      plannedBytes += batch.bytes;
    } else {
      blocked.add(key);
    }
  }
  return { archive, blocked, plannedBytes };
}

/** The streams among `batches` whose policy needs a snapshot version before planning. */
export function streamsNeedingSnapshots(batches: readonly StoredBatch[], retention: ResolvedRetention): StoredBatch[] {
  const seen = new Map<string, StoredBatch>();
  for (const batch of batches) {
    if (policyFor(retention, batch.aggregateType).kind !== 'keepSinceSnapshot') continue;
    if (batch.firstVersion + batch.eventCount - 1 >= batch.streamHead) continue; // its head batch stays anyway
    const key = batchStreamKey(batch);
    if (!seen.has(key)) seen.set(key, batch);
  }
  return [...seen.values()];
}

function eligible(
  batch: StoredBatch,
  lastVersion: number,
  key: string,
  context: ArchivePlanContext,
  plannedBytes: number,
): boolean {
  const policy = policyFor(context.retention, batch.aggregateType);
  switch (policy.kind) {
    case 'keepAll':
      return false;
    case 'keepDays':
      return batch.newestTimestamp < context.now - daysToMs(policy.days);
    case 'keepD1Bytes':
      return context.hotBytes - plannedBytes > policy.bytes;
    case 'keepLastEvents':
      return lastVersion <= batch.streamHead - policy.events;
    case 'keepSinceSnapshot': {
      const snapshot = context.snapshotVersions?.get(key);
      return snapshot !== undefined && lastVersion <= snapshot;
    }
  }
}
