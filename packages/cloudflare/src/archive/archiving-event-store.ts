import { ConcurrencyError, type EventEnvelope } from '@escf/core';
import { EVENT_STORE_TABLE } from '@escf/core/internal';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  StreamId,
} from '@escf/core/store';
import { D1EventStore, type D1EventStoreOptions } from '../event-store/d1-event-store.js';
import { ArchiveManifest } from './archive-manifest.js';
import { R2SegmentStore } from './r2-segment-store.js';

/** Options of {@link ArchivingEventStore}. */
export interface ArchivingEventStoreOptions extends D1EventStoreOptions {
  /** Key prefix of the archive in the bucket; defaults to `escf-archive/<table>/`. */
  readonly prefix?: string;
  /** Decoded segments kept in memory per store instance; defaults to 4. */
  readonly cacheSegments?: number;
}

/** How many manifest rows one query of `readAll` fetches. */
const SEGMENT_PAGE = 32;

/**
 * The whole event log: the R2 archive followed by D1, as one core
 * {@link EventStore} (passes `describeEventStoreConformance`). Appends go to
 * D1; `readAll` and `readStream` merge archived segments and D1 rows by
 * position and version, so projection rebuilds (`projectionEntrypoint({
 * eventStore })`) and aggregate rehydration read across the archive boundary.
 * Events come back exactly as stored; readers upcast them as usual.
 *
 * A read is consistent while the archiver runs: D1 is read first, then the
 * manifest, so a batch moved in between shows up in both and is deduplicated
 * by position (never missing).
 *
 * @example
 * ```ts
 * const store = new ArchivingEventStore(env.ESCF_EVENTS, env.ESCF_ARCHIVE);
 * const events = await store.readAll({ after: 0, limit: 500 }); // from R2, then D1
 * ```
 */
export class ArchivingEventStore implements EventStore {
  /** The D1 part, for the outbox's idempotent appends and for stats. */
  readonly d1: D1EventStore;
  readonly manifest: ArchiveManifest;
  readonly segments: R2SegmentStore;
  readonly prefix: string;

  constructor(db: D1Database, bucket: R2Bucket, options: ArchivingEventStoreOptions = {}) {
    const table = options.table ?? EVENT_STORE_TABLE;
    this.d1 = new D1EventStore(db, options);
    this.manifest = new ArchiveManifest(db, table);
    this.segments = new R2SegmentStore(
      bucket,
      options.cacheSegments === undefined ? {} : { cacheSegments: options.cacheSegments },
    );
    this.prefix = options.prefix ?? defaultArchivePrefix(table);
  }

  async append(stream: StreamId, events: readonly EventEnvelope[], options: AppendOptions): Promise<AppendResult> {
    // The archiver always leaves each stream's newest batch in D1, so D1's
    // head-version guard stays exact.
    try {
      return await this.d1.append(stream, events, options);
    } catch (error) {
      // D1 alone cannot recognise a redelivery of events that were archived since.
      if (!(error instanceof ConcurrencyError) || events.length === 0) throw error;
      const stored = await this.readStream(stream, { fromVersion: events[0]!.version, limit: events.length });
      if (stored.length !== events.length || stored.some((event, index) => event.id !== events[index]!.id)) throw error;
      return { version: await this.d1.headVersion(stream), appended: 0 };
    }
  }

  async readStream(stream: StreamId, options: ReadStreamOptions = {}): Promise<EventEnvelope[]> {
    const from = Math.max(1, options.fromVersion ?? 1);
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    if (limit <= 0) return [];
    const hot = await this.d1.readStream(stream, options);
    const firstHot = hot[0]?.version ?? Number.POSITIVE_INFINITY;
    if (firstHot === from) return hot; // nothing before it can be archived
    await this.manifest.ensureSchema();
    const archived: EventEnvelope[] = [];
    for (const segment of await this.manifest.streamSegments(stream, from)) {
      if (archived.length >= limit || segment.firstVersion >= firstHot) break;
      for (const row of await this.segments.read(segment.key, segment.sha256)) {
        if (
          row.aggregateId !== stream.aggregateId ||
          row.tenantId !== (stream.tenantId ?? '') ||
          row.aggregateType !== stream.aggregateType
        )
          continue;
        for (const event of row.events) if (event.version >= from && event.version < firstHot) archived.push(event);
      }
    }
    archived.sort((a, b) => a.version - b.version);
    const merged = dedupe([...archived, ...hot], (event) => event.version);
    return Number.isFinite(limit) ? merged.slice(0, limit) : merged;
  }

  async readAll(options: ReadAllOptions): Promise<EventEnvelope[]> {
    const after = Math.max(0, options.after ?? 0);
    const limit = Math.max(0, options.limit);
    if (limit === 0) return [];
    const hot = await this.d1.readAll({ after, limit });
    // With a full page from D1, nothing past its last position can be among the first `limit`.
    const bound = hot.length === limit ? hot.at(-1)!.position! : Number.MAX_SAFE_INTEGER;
    await this.manifest.ensureSchema();
    const candidates: EventEnvelope[] = [...hot];
    let startAfter = -1;
    scan: for (;;) {
      const page = await this.manifest.segmentsFrom(after, bound, startAfter, SEGMENT_PAGE);
      for (const segment of page) {
        // Every event before this segment's start is already known: stop once that is enough.
        if (candidates.filter((event) => event.position! < segment.firstPosition).length >= limit) break scan;
        for (const row of await this.segments.read(segment.key, segment.sha256)) {
          for (const event of row.events)
            if (event.position! > after && event.position! <= bound) candidates.push(event);
        }
      }
      if (page.length < SEGMENT_PAGE) break;
      startAfter = page.at(-1)!.firstPosition;
    }
    candidates.sort((a, b) => a.position! - b.position!);
    return dedupe(candidates, (event) => event.position!).slice(0, limit);
  }
}

/** The default key prefix of an event table's archive. */
export function defaultArchivePrefix(table = EVENT_STORE_TABLE): string {
  return `escf-archive/${table}/`;
}

/** Drops later duplicates of a sorted list (the same event read from D1 and from a segment). */
function dedupe<T>(sorted: T[], keyOf: (item: T) => number): T[] {
  const out: T[] = [];
  let last = Number.NaN;
  for (const item of sorted) {
    const key = keyOf(item);
    if (key !== last) out.push(item);
    last = key;
  }
  return out;
}
