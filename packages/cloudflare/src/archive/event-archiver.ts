import {
  archivesAnything,
  batchStreamKey,
  EVENT_STORE_TABLE,
  planArchive,
  prunesDurableObjects,
  type StoredBatch,
  streamsNeedingSnapshots,
} from '@escf/core/internal';
import { defineRetention, type ResolvedRetention, type RetentionConfig } from '@escf/core/retention';
import type { StreamId } from '@escf/core/store';
import { EventsTable } from '../event-store/events-table.js';
import { ArchiveManifest } from './archive-manifest.js';
import type { ArchivePreview, ArchiveRunReport, ArchiveStatus } from './archive-report.js';
import { type ArchivedRow, encodeSegment } from './archive-segment.js';
import type { Archiver } from './archiver.js';
import { defaultArchivePrefix } from './archiving-event-store.js';
import { R2SegmentStore } from './r2-segment-store.js';

/**
 * What the archiver asks of aggregates' Durable Objects: snapshots before
 * snapshot-based retention, and pruning of their local history. See
 * {@link durableObjectRetention} for the implementation over aggregate hosts.
 */
export interface AggregateRetentionHooks {
  /** Makes each stream's snapshot current and returns its version by `batchStreamKey`. */
  snapshot(streams: readonly StreamId[]): Promise<Map<string, number>>;
  /** Deletes the stream's events up to `throughVersion` from its Durable Object (they are archived); returns how many. */
  prune(stream: StreamId, throughVersion: number): Promise<number>;
}

/** Test-only crash injection: a hook that throws stops the run at that point, like a crash would. */
export interface ArchiverFaults {
  afterSegmentWrite?(key: string): void | Promise<void>;
  afterSegmentCommit?(key: string): void | Promise<void>;
}

/** Options of {@link EventArchiver}. */
export interface EventArchiverOptions {
  /** The policies; `defineRetention(...)` output or its input. */
  readonly retention: RetentionConfig | ResolvedRetention;
  /** The D1 event table; defaults to `escf_events`. */
  readonly table?: string;
  /** Key prefix in the bucket; defaults to `escf-archive/<table>/` (the same as {@link ArchivingEventStore}'s). */
  readonly prefix?: string;
  /** Snapshots and Durable Object pruning; without it, `keepSinceSnapshot` archives nothing and nothing is pruned. */
  readonly aggregates?: AggregateRetentionHooks;
  /** Most D1 rows one run archives (keeps a run within Workers' CPU, memory and subrequest limits). Defaults to 2,000. */
  readonly maxRowsPerRun?: number;
  /** Most events in one segment. Defaults to 5,000. */
  readonly maxEventsPerSegment?: number;
  /** Most stored bytes in one segment (before compression). Defaults to 4 MB. */
  readonly maxSegmentBytes?: number;
  /** Rows the planner looks at per D1 query. Defaults to 500. */
  readonly pageRows?: number;
  /** Clock (ms); injectable for tests. */
  readonly now?: () => number;
  readonly faults?: ArchiverFaults;
}

/**
 * Moves events that a retention policy no longer keeps hot from D1 into
 * gzip-compressed NDJSON segments in R2 — one aggregate type and position
 * range per segment — then deletes them from D1. Safe to interrupt at any
 * point and to re-run:
 *
 * 1. plan (pure, `planArchive`): which whole batches leave, a per-stream prefix;
 * 2. write each segment under a content-derived key and read it back
 *    (an object a crashed run left behind is verified and reused);
 * 3. commit: manifest row + stream index + D1 delete in one D1 transaction,
 *    guarded so a re-run or a concurrent run changes nothing twice.
 *
 * Events are only ever deleted in step 3, and only those inside a segment
 * that was verified in R2, so no policy (or policy change) can delete an
 * event that is not archived.
 *
 * @example
 * ```ts
 * const archiver = new EventArchiver(env.ESCF_EVENTS, env.ESCF_ARCHIVE, {
 *   retention: { default: retention.keepDays(90), aggregates: { Order: retention.keepLastEvents(100) } },
 * });
 * const report = await archiver.run(); // { events, segments, d1Bytes, r2Bytes, more, status }
 * ```
 */
export class EventArchiver implements Archiver {
  readonly manifest: ArchiveManifest;
  private readonly segments: R2SegmentStore;
  private readonly retention: ResolvedRetention;
  private readonly table: string;
  private readonly events: EventsTable;
  private readonly prefix: string;
  private readonly maxRows: number;
  private readonly maxEvents: number;
  private readonly maxBytes: number;
  private readonly pageRows: number;
  private readonly now: () => number;

  constructor(
    private readonly db: D1Database,
    private readonly bucket: R2Bucket,
    private readonly options: EventArchiverOptions,
  ) {
    this.table = options.table ?? EVENT_STORE_TABLE;
    this.events = new EventsTable(db, this.table);
    this.manifest = new ArchiveManifest(db, this.table);
    this.segments = new R2SegmentStore(bucket, { cacheSegments: 0 });
    this.retention = isResolved(options.retention) ? options.retention : defineRetention(options.retention);
    this.prefix = options.prefix ?? defaultArchivePrefix(this.table);
    this.maxRows = positive('maxRowsPerRun', options.maxRowsPerRun ?? 2_000);
    this.maxEvents = positive('maxEventsPerSegment', options.maxEventsPerSegment ?? 5_000);
    this.maxBytes = positive('maxSegmentBytes', options.maxSegmentBytes ?? 4_000_000);
    this.pageRows = positive('pageRows', options.pageRows ?? 500);
    this.now = options.now ?? Date.now;
  }

  /** Runs one bounded batch of archiving and reports what moved and what D1 holds now. */
  async run(): Promise<ArchiveRunReport> {
    const startedAt = this.now();
    await this.manifest.ensureSchema();
    const warnings: string[] = [];
    const totals = {
      events: 0,
      rows: 0,
      segments: 0,
      reusedSegments: 0,
      d1Bytes: 0,
      r2Bytes: 0,
      pruned: 0,
      snapshots: 0,
    };
    let more = false;
    if (archivesAnything(this.retention)) {
      const { selected, truncated, snapshots } = await this.select(warnings);
      more = truncated;
      totals.snapshots = snapshots;
      const touchedTypes = new Set<string>();
      for (const group of this.segmentGroups(selected)) {
        const rows = await this.loadRows(group.map((batch) => batch.position));
        if (rows.length !== group.length) continue; // another run archived some of them meanwhile
        const segment = await encodeSegment(this.prefix, rows);
        const outcome = await this.segments.write(segment);
        await this.options.faults?.afterSegmentWrite?.(segment.key);
        const timestamps = {
          oldest: Math.min(...group.map((b) => b.newestTimestamp)),
          newest: Math.max(...group.map((b) => b.newestTimestamp)),
        };
        const committed = await this.manifest.commit(
          segment,
          group.map((b) => b.position),
          timestamps,
          this.now(),
        );
        await this.options.faults?.afterSegmentCommit?.(segment.key);
        if (committed !== 'committed') continue;
        touchedTypes.add(group[0]!.aggregateType);
        totals.segments += 1;
        if (outcome === 'reused') totals.reusedSegments += 1;
        totals.events += segment.eventCount;
        totals.rows += group.length;
        totals.d1Bytes += group.reduce((sum, b) => sum + b.bytes, 0);
        totals.r2Bytes += segment.gzip.byteLength;
        totals.pruned += await this.pruneDurableObjects(group);
      }
      for (const type of touchedTypes) await this.writeManifestMirror(type);
    }
    return {
      events: totals.events,
      rows: totals.rows,
      segments: totals.segments,
      reusedSegments: totals.reusedSegments,
      d1Bytes: totals.d1Bytes,
      r2Bytes: totals.r2Bytes,
      prunedDurableObjectEvents: totals.pruned,
      snapshotsTaken: totals.snapshots,
      more,
      warnings,
      status: await this.status(),
      startedAt,
      finishedAt: this.now(),
    };
  }

  /**
   * What the next run would archive, by aggregate type, without archiving,
   * snapshotting or writing anything (for operators and the ESCF console).
   */
  async preview(): Promise<ArchivePreview> {
    const none: ArchivePreview = { rows: 0, events: 0, bytes: 0, byType: [], awaitingSnapshot: 0, more: false };
    if (!archivesAnything(this.retention)) return none;
    const hotBytes = this.usesStoragePolicy() ? await this.hotBytes() : 0;
    const selected: StoredBatch[] = [];
    let blocked = new Set<string>();
    let plannedBytes = 0;
    let awaitingSnapshot = 0;
    let more = false;
    for (let after = 0; ; ) {
      const page = await this.scan(after);
      if (page.length === 0) break;
      after = page.at(-1)!.position;
      awaitingSnapshot += streamsNeedingSnapshots(page, this.retention).length;
      const plan = planArchive(page, {
        retention: this.retention,
        now: this.now(),
        hotBytes,
        snapshotVersions: new Map(),
        blocked,
        plannedBytes,
      });
      blocked = plan.blocked;
      plannedBytes = plan.plannedBytes;
      selected.push(...plan.archive);
      if (selected.length >= this.maxRows) {
        more = selected.length > this.maxRows || page.length === this.pageRows;
        selected.length = this.maxRows;
        break;
      }
      if (page.length < this.pageRows) break;
    }
    const byType = new Map<
      string,
      { aggregateType: string; rows: number; events: number; bytes: number; oldestPosition: number }
    >();
    for (const batch of selected) {
      const entry = byType.get(batch.aggregateType) ?? {
        aggregateType: batch.aggregateType,
        rows: 0,
        events: 0,
        bytes: 0,
        oldestPosition: batch.position,
      };
      entry.rows += 1;
      entry.events += batch.eventCount;
      entry.bytes += batch.bytes;
      byType.set(batch.aggregateType, entry);
    }
    return {
      rows: selected.length,
      events: selected.reduce((sum, b) => sum + b.eventCount, 0),
      bytes: selected.reduce((sum, b) => sum + b.bytes, 0),
      byType: [...byType.values()],
      awaitingSnapshot,
      more,
    };
  }

  /** What D1 and the archive hold now. */
  async status(): Promise<ArchiveStatus> {
    await this.manifest.ensureSchema();
    const d1 = await this.events.totals();
    const archive = await this.manifest.totals();
    const last = await this.db
      .prepare(`SELECT MAX(last_position) AS last FROM ${this.manifest.tables.segments}`)
      .first<{ last: number | null }>();
    return {
      d1: d1 ?? { rows: 0, events: 0, bytes: 0, firstPosition: null, lastPosition: null },
      archive: {
        segments: archive.segments,
        events: archive.events,
        ndjsonBytes: archive.ndjsonBytes,
        gzipBytes: archive.gzipBytes,
        lastPosition: last?.last ?? null,
      },
    };
  }

  /**
   * Deletes segment objects that are not in the manifest (left by runs that
   * crashed before their commit and were then planned differently) and are
   * older than `olderThanMs`, so a run in progress keeps its object.
   */
  async sweepOrphans(olderThanMs = 24 * 60 * 60 * 1000): Promise<{ deleted: string[] }> {
    await this.manifest.ensureSchema();
    const deleted: string[] = [];
    let cursor: string | undefined;
    do {
      const listing = await this.bucket.list({ prefix: `${this.prefix}segments/`, ...(cursor ? { cursor } : {}) });
      for (const object of listing.objects) {
        if (object.uploaded.getTime() > this.now() - olderThanMs) continue;
        if (await this.manifest.has(object.key)) continue;
        await this.bucket.delete(object.key);
        deleted.push(object.key);
      }
      cursor = listing.truncated ? listing.cursor : undefined;
    } while (cursor);
    return { deleted };
  }

  /** Pages through D1 oldest first and plans, within the run's row budget. */
  private async select(
    warnings: string[],
  ): Promise<{ selected: StoredBatch[]; truncated: boolean; snapshots: number }> {
    const hotBytes = this.usesStoragePolicy() ? await this.hotBytes() : 0;
    const selected: StoredBatch[] = [];
    let blocked = new Set<string>();
    let plannedBytes = 0;
    let snapshots = 0;
    let after = 0;
    for (;;) {
      const page = await this.scan(after);
      if (page.length === 0) break;
      after = page.at(-1)!.position;
      const needing = streamsNeedingSnapshots(page, this.retention);
      let snapshotVersions = new Map<string, number>();
      if (needing.length > 0) {
        if (this.options.aggregates) {
          snapshotVersions = await this.options.aggregates.snapshot(needing.map(streamOf));
          snapshots += snapshotVersions.size;
        } else if (!warnings.some((w) => w.startsWith('keepSinceSnapshot'))) {
          warnings.push(
            'keepSinceSnapshot needs EventArchiverOptions.aggregates (durableObjectRetention(...)) to take snapshots; those aggregates were not archived.',
          );
        }
      }
      const plan = planArchive(page, {
        retention: this.retention,
        now: this.now(),
        hotBytes,
        snapshotVersions,
        blocked,
        plannedBytes,
      });
      blocked = plan.blocked;
      plannedBytes = plan.plannedBytes;
      selected.push(...plan.archive);
      if (selected.length >= this.maxRows)
        return { selected: selected.slice(0, this.maxRows), truncated: true, snapshots };
      if (page.length < this.pageRows) break;
    }
    return { selected, truncated: false, snapshots };
  }

  /** One page of candidate rows (types whose policy may archive), with each stream's head version. */
  private async scan(after: number): Promise<StoredBatch[]> {
    const archiving = [...this.retention.aggregates].filter(([, p]) => p.kind !== 'keepAll').map(([type]) => type);
    const keeping = [...this.retention.aggregates].filter(([, p]) => p.kind === 'keepAll').map(([type]) => type);
    // Default archives: every type except keepAll overrides; default keeps: only the overrides that archive.
    const archivesByDefault = this.retention.default.kind !== 'keepAll';
    const types = JSON.stringify(archivesByDefault ? keeping : archiving);
    const results = await this.events.archiveCandidates(after, this.pageRows, types, archivesByDefault);
    return results.map((row) => ({
      position: row.position,
      tenantId: row.tenant_id,
      aggregateType: row.aggregate_type,
      aggregateId: row.aggregate_id,
      firstVersion: row.first_version,
      eventCount: row.event_count,
      bytes: row.bytes,
      newestTimestamp: row.newest ?? 0,
      streamHead: row.head,
    }));
  }

  /** Splits the selection into segments: one aggregate type each, bounded in events and bytes, position order. */
  private segmentGroups(selected: readonly StoredBatch[]): StoredBatch[][] {
    const byType = new Map<string, StoredBatch[]>();
    for (const batch of selected) byType.set(batch.aggregateType, [...(byType.get(batch.aggregateType) ?? []), batch]);
    const groups: StoredBatch[][] = [];
    for (const batches of byType.values()) {
      let current: StoredBatch[] = [];
      let events = 0;
      let bytes = 0;
      for (const batch of batches) {
        if (current.length > 0 && (events + batch.eventCount > this.maxEvents || bytes + batch.bytes > this.maxBytes)) {
          groups.push(current);
          current = [];
          events = 0;
          bytes = 0;
        }
        current.push(batch);
        events += batch.eventCount;
        bytes += batch.bytes;
      }
      if (current.length > 0) groups.push(current);
    }
    return groups.sort((a, b) => a[0]!.position - b[0]!.position);
  }

  private async loadRows(positions: readonly number[]): Promise<ArchivedRow[]> {
    const results = await this.events.rowsAt(positions);
    return results.map((row) => ({
      position: row.position,
      tenantId: row.tenant_id,
      aggregateType: row.aggregate_type,
      aggregateId: row.aggregate_id,
      firstVersion: row.first_version,
      eventsJson: row.events,
    }));
  }

  private async pruneDurableObjects(group: readonly StoredBatch[]): Promise<number> {
    const hooks = this.options.aggregates;
    if (!hooks || !prunesDurableObjects(this.retention, group[0]!.aggregateType)) return 0;
    const through = new Map<string, { stream: StreamId; version: number }>();
    for (const batch of group) {
      const key = batchStreamKey(batch);
      const version = batch.firstVersion + batch.eventCount - 1;
      if ((through.get(key)?.version ?? 0) < version) through.set(key, { stream: streamOf(batch), version });
    }
    let pruned = 0;
    for (const { stream, version } of through.values()) pruned += await hooks.prune(stream, version);
    return pruned;
  }

  /** A copy of an aggregate type's manifest next to its segments, so the archive describes itself without D1. */
  private async writeManifestMirror(aggregateType: string): Promise<void> {
    const segments = await this.manifest.list(aggregateType);
    await this.bucket.put(
      `${this.prefix}manifest/${encodeURIComponent(aggregateType)}.json`,
      JSON.stringify({ table: this.table, aggregateType, segments }),
      {
        httpMetadata: { contentType: 'application/json' },
      },
    );
  }

  private usesStoragePolicy(): boolean {
    return (
      this.retention.default.kind === 'keepD1Bytes' ||
      [...this.retention.aggregates.values()].some((p) => p.kind === 'keepD1Bytes')
    );
  }

  private async hotBytes(): Promise<number> {
    return this.events.eventBytes();
  }
}

function streamOf(batch: Pick<StoredBatch, 'tenantId' | 'aggregateType' | 'aggregateId'>): StreamId {
  return {
    aggregateType: batch.aggregateType,
    aggregateId: batch.aggregateId,
    ...(batch.tenantId === '' ? {} : { tenantId: batch.tenantId }),
  };
}

function isResolved(config: RetentionConfig | ResolvedRetention): config is ResolvedRetention {
  return (config as ResolvedRetention).aggregates instanceof Map;
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`EventArchiver: ${name} must be a positive integer`);
  return value;
}
