import { EVENT_STORE_TABLE } from '@escf/core/internal';
import type { StreamId } from '@escf/core/store';
import { EventsTable } from '../event-store/events-table.js';
import { type ArchiveTables, archiveTables, ensureArchiveSchema } from './archive-schema.js';
import type { EncodedSegment } from './archive-segment.js';

/** A committed segment, as the manifest records it. */
export interface SegmentRecord {
  readonly key: string;
  readonly aggregateType: string;
  readonly firstPosition: number;
  readonly lastPosition: number;
  readonly rowCount: number;
  readonly eventCount: number;
  readonly ndjsonBytes: number;
  readonly gzipBytes: number;
  readonly sha256: string;
  readonly oldestTimestamp: number | null;
  readonly newestTimestamp: number | null;
  readonly archivedAt: number;
}

/** Which versions of one stream a segment holds. */
export interface StreamSegment {
  readonly key: string;
  readonly sha256: string;
  readonly firstVersion: number;
  readonly lastVersion: number;
}

/** What {@link ArchiveManifest.commit} did. */
export type CommitOutcome =
  /** The segment is now in the manifest and its rows are gone from D1. */
  | 'committed'
  /** A previous run committed this very segment: nothing to do. */
  | 'already-committed'
  /** Some of the rows are no longer in D1 (another run archived them): nothing changed. */
  | 'conflict';

interface SegmentRow {
  segment_key: string;
  aggregate_type: string;
  first_position: number;
  last_position: number;
  row_count: number;
  event_count: number;
  ndjson_bytes: number;
  gzip_bytes: number;
  sha256: string;
  oldest_timestamp: number | null;
  newest_timestamp: number | null;
  archived_at: number;
}

/**
 * The archive's manifest in D1, next to the event table. Committing a
 * segment inserts its manifest row and its stream index and deletes the rows
 * it holds in ONE D1 batch (a transaction): at every instant each event is
 * either in D1 or in a committed segment, never both and never neither.
 */
export class ArchiveManifest {
  readonly tables: ArchiveTables;
  private readonly events: EventsTable;

  constructor(
    private readonly db: D1Database,
    eventTable = EVENT_STORE_TABLE,
  ) {
    this.tables = archiveTables(eventTable);
    this.events = new EventsTable(db, eventTable);
  }

  ensureSchema(): Promise<void> {
    return ensureArchiveSchema(this.db, this.tables.events);
  }

  /**
   * Records the verified segment and deletes its rows (by position) from D1,
   * atomically. Every statement is guarded, so running it again, or after
   * another run archived some of the rows, changes nothing.
   */
  async commit(
    segment: EncodedSegment,
    positions: readonly number[],
    timestamps: { oldest: number | null; newest: number | null },
    now: number,
  ): Promise<CommitOutcome> {
    const { segments, streams } = this.tables;
    const positionsJson = JSON.stringify(positions);
    const onEvents = this.events.archiveCommit({ segments, streams });
    const [inserted] = await this.db.batch([
      this.db
        .prepare(
          `INSERT INTO ${segments} (segment_key, aggregate_type, first_position, last_position, row_count, event_count, ndjson_bytes, gzip_bytes, sha256, oldest_timestamp, newest_timestamp, archived_at)
           SELECT ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13
           WHERE ${onEvents.allRowsPresent}
             AND NOT EXISTS (SELECT 1 FROM ${segments} WHERE segment_key = ?2)`,
        )
        .bind(
          positionsJson,
          segment.key,
          aggregateTypeOf(segment.key),
          segment.firstPosition,
          segment.lastPosition,
          positions.length,
          segment.eventCount,
          segment.ndjsonBytes,
          segment.gzip.byteLength,
          segment.sha256,
          timestamps.oldest,
          timestamps.newest,
          now,
        ),
      this.db.prepare(onEvents.indexStreams).bind(positionsJson, segment.key),
      this.db.prepare(onEvents.deleteRows).bind(positionsJson, segment.key),
    ]);
    if ((inserted?.meta.changes ?? 0) === 1) return 'committed';
    const known = await this.db
      .prepare(`SELECT 1 AS found FROM ${segments} WHERE segment_key = ?1`)
      .bind(segment.key)
      .first();
    return known ? 'already-committed' : 'conflict';
  }

  /**
   * Committed segments that hold positions after `after`, by first position,
   * starting after first position `startAfter` (for paging) and not starting
   * beyond `bound`.
   */
  async segmentsFrom(after: number, bound: number, startAfter: number, limit: number): Promise<SegmentRecord[]> {
    const { results } = await this.db
      .prepare(
        `SELECT * FROM ${this.tables.segments} WHERE last_position > ?1 AND first_position <= ?2 AND first_position > ?3 ORDER BY first_position LIMIT ?4`,
      )
      .bind(after, bound, startAfter, limit)
      .all<SegmentRow>();
    return results.map(recordOf);
  }

  /** The segments holding versions ≥ `fromVersion` of a stream, in version order. */
  async streamSegments(stream: StreamId, fromVersion: number): Promise<StreamSegment[]> {
    const { streams, segments } = this.tables;
    const { results } = await this.db
      .prepare(
        `SELECT s.segment_key AS key, g.sha256 AS sha256, s.first_version AS firstVersion, s.last_version AS lastVersion
         FROM ${streams} s JOIN ${segments} g ON g.segment_key = s.segment_key
         WHERE s.tenant_id = ?1 AND s.aggregate_type = ?2 AND s.aggregate_id = ?3 AND s.last_version >= ?4
         ORDER BY s.first_version`,
      )
      .bind(stream.tenantId ?? '', stream.aggregateType, stream.aggregateId, fromVersion)
      .all<StreamSegment & Record<string, unknown>>();
    return results;
  }

  /** Every committed segment, optionally of one aggregate type, in position order. */
  async list(aggregateType?: string): Promise<SegmentRecord[]> {
    const { results } = await this.db
      .prepare(`SELECT * FROM ${this.tables.segments} WHERE ?1 IS NULL OR aggregate_type = ?1 ORDER BY first_position`)
      .bind(aggregateType ?? null)
      .all<SegmentRow>();
    return results.map(recordOf);
  }

  /** Totals over the whole archive. */
  async totals(): Promise<{ segments: number; events: number; rows: number; ndjsonBytes: number; gzipBytes: number }> {
    const row = await this.db
      .prepare(
        `SELECT COUNT(*) AS segments, COALESCE(SUM(event_count), 0) AS events, COALESCE(SUM(row_count), 0) AS rows,
                COALESCE(SUM(ndjson_bytes), 0) AS ndjsonBytes, COALESCE(SUM(gzip_bytes), 0) AS gzipBytes FROM ${this.tables.segments}`,
      )
      .first<{ segments: number; events: number; rows: number; ndjsonBytes: number; gzipBytes: number }>();
    return row ?? { segments: 0, events: 0, rows: 0, ndjsonBytes: 0, gzipBytes: 0 };
  }

  /** Whether a key is a committed segment (orphans from crashed runs are not). */
  async has(key: string): Promise<boolean> {
    return (
      (await this.db
        .prepare(`SELECT 1 AS found FROM ${this.tables.segments} WHERE segment_key = ?1`)
        .bind(key)
        .first()) !== null
    );
  }
}

function recordOf(row: SegmentRow): SegmentRecord {
  return {
    key: row.segment_key,
    aggregateType: row.aggregate_type,
    firstPosition: row.first_position,
    lastPosition: row.last_position,
    rowCount: row.row_count,
    eventCount: row.event_count,
    ndjsonBytes: row.ndjson_bytes,
    gzipBytes: row.gzip_bytes,
    sha256: row.sha256,
    oldestTimestamp: row.oldest_timestamp,
    newestTimestamp: row.newest_timestamp,
    archivedAt: row.archived_at,
  };
}

/** The aggregate type encoded in a segment key (`…segments/<type>/<range>`). */
function aggregateTypeOf(key: string): string {
  const parts = key.split('/');
  return decodeURIComponent(parts[parts.length - 2]!);
}
