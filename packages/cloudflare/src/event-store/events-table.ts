import { EVENT_STORE_TABLE } from '@escf/core/internal';
import type { StreamId } from '@escf/core/store';

/** SQL: the version of a row's last event. */
const LAST_VERSION = 'first_version + event_count - 1';
/** SQL: the position of a row's last event. */
const LAST_POSITION = 'position + event_count - 1';
/** SQL: the row belongs to stream (?1 tenant, ?2 type, ?3 id). */
const OF_STREAM = 'tenant_id = ?1 AND aggregate_type = ?2 AND aggregate_id = ?3';

/**
 * The D1 schema of the events table. The same SQL ships as
 * `migrations/0001_escf_events.sql` (a test keeps them equal), which is what
 * `escf generate` copies into a project's migrations, once per shard database.
 *
 * One row per drained batch of one aggregate: `events` holds the batch as a
 * JSON array and `position` is the position of its first event in this
 * database's log, so event `i` of a row has position `position + i` and
 * positions are dense (1, 2, 3, … with no gaps). An insert writes 2 rows (the
 * row and its stream index entry) however many events the batch holds.
 */
export function eventsTableMigration(table = EVENT_STORE_TABLE): string {
  assertTableName(table);
  return `-- ESCF event store (D1): the shared, ordered log of every event.
-- One row per drained batch of one aggregate: \`events\` holds the batch as a
-- JSON array and \`position\` is the global position of its first event, so
-- event i of a row has position \`position + i\` and positions are dense.
-- Each insert writes 2 rows (table + stream index) for the whole batch.
CREATE TABLE IF NOT EXISTS ${table} (
  position INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL DEFAULT '',
  aggregate_type TEXT NOT NULL,
  aggregate_id TEXT NOT NULL,
  first_version INTEGER NOT NULL,
  event_count INTEGER NOT NULL,
  events TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ${table}_stream ON ${table} (tenant_id, aggregate_type, aggregate_id, first_version);
`;
}

/** Table names are spliced into SQL, so only plain identifiers are allowed. */
export function assertTableName(table: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(table)) {
    throw new RangeError(`Invalid event store table name '${table}': use letters, digits and underscores.`);
  }
}

/** One stored row: a batch of one stream's events as JSON. */
export interface EventsRow {
  readonly position: number;
  readonly first_version: number;
  readonly events: string;
}

/** A row about to be appended: consecutive events of one stream, as JSON. */
export interface RowToAppend {
  readonly firstVersion: number;
  readonly eventCount: number;
  readonly json: string;
  /** Id of the row's first event: the next row of the same append checks it. */
  readonly firstEventId: string;
}

/** A row as the archiver plans with it, with its stream's head version. */
export interface ArchiveCandidateRow {
  readonly position: number;
  readonly tenant_id: string;
  readonly aggregate_type: string;
  readonly aggregate_id: string;
  readonly first_version: number;
  readonly event_count: number;
  readonly bytes: number;
  readonly newest: number | null;
  readonly head: number;
}

/** A row with its stream, as the archiver writes it into a segment. */
export interface FullEventsRow extends EventsRow {
  readonly tenant_id: string;
  readonly aggregate_type: string;
  readonly aggregate_id: string;
}

/** Each stream's newest row, as the admin console lists aggregates. */
export interface LatestStreamRow {
  readonly tenant_id: string;
  readonly aggregate_type: string;
  readonly aggregate_id: string;
  readonly version: number;
  readonly last_position: number;
  readonly last_at: number | null;
}

/** What one database's events table holds. */
export interface EventsTableTotals {
  rows: number;
  events: number;
  bytes: number;
  firstPosition: number | null;
  lastPosition: number | null;
}

/** D1's `meta` of one statement. */
export interface StatementCost {
  readonly rowsWritten: number;
  readonly rowsRead: number;
}

/**
 * Every statement on the D1 events table, in one place: the event store,
 * the archiver and its manifest, the admin API and projections' progress
 * all read and write the table through this class, so its layout (one row
 * per batch, `position + i`, the stream index) has one owner.
 */
export class EventsTable {
  constructor(
    readonly db: D1Database,
    readonly name: string = EVENT_STORE_TABLE,
  ) {
    assertTableName(name);
  }

  /** Creates the table and its index if missing (tests and local tooling; deployments apply the migration). */
  async create(): Promise<void> {
    const statements = eventsTableMigration(this.name)
      .split(';')
      .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
      .filter((statement) => statement.length > 0);
    await this.db.batch(statements.map((statement) => this.db.prepare(statement)));
  }

  /**
   * Appends rows of one stream in one D1 batch (a transaction). The guard is
   * part of each insert: the first row goes in only if the stream's head is
   * exactly `expectedVersion` and the row starts right after it; each later
   * row only if the previous row of this append is there. So a stale or
   * conflicting append, or a repeated one, writes nothing and returns `null`.
   * Otherwise returns each row's position (its first event's).
   */
  async appendRows(
    stream: StreamId,
    rows: readonly RowToAppend[],
    expectedVersion: number,
    cost?: (statement: StatementCost) => void,
  ): Promise<number[] | null> {
    if (rows.length === 0) return [];
    const t = this.name;
    const insertRow = (guard: string) =>
      this.db.prepare(
        `INSERT INTO ${t} (position, tenant_id, aggregate_type, aggregate_id, first_version, event_count, events)
         SELECT COALESCE((SELECT ${LAST_POSITION} + 1 FROM ${t} ORDER BY position DESC LIMIT 1), 1), ?1, ?2, ?3, ?4, ?5, ?6
         WHERE ${guard}
         RETURNING position`,
      );
    const headIs = (version: string) =>
      `COALESCE((SELECT ${LAST_VERSION} FROM ${t} WHERE ${OF_STREAM} ORDER BY first_version DESC LIMIT 1), 0) = ${version}`;
    // The caller's expected version is a bound parameter of the guard, not checked after the write.
    const first = insertRow(`${headIs('?7')} AND ?4 = ?7 + 1`);
    // Later rows also require that the previous row is this append's: otherwise
    // a stale append could skip its first row and still land its second.
    const next = insertRow(
      `${headIs('?4 - 1')} AND EXISTS (SELECT 1 FROM ${t} WHERE ${OF_STREAM}
         AND first_version = ?7 AND json_extract(events, '$[0].id') = ?8)`,
    );
    const results = await this.db.batch<{ position: number }>(
      rows.map((row, index) => {
        const values = [
          stream.tenantId ?? '',
          stream.aggregateType,
          stream.aggregateId,
          row.firstVersion,
          row.eventCount,
          row.json,
        ];
        if (index === 0) return first.bind(...values, expectedVersion);
        const previous = rows[index - 1]!;
        return next.bind(...values, previous.firstVersion, previous.firstEventId);
      }),
    );
    for (const result of results)
      cost?.({ rowsWritten: result.meta.rows_written ?? 0, rowsRead: result.meta.rows_read ?? 0 });
    if (results[0]?.results.length !== 1) return null;
    return results.map((result) => {
      const position = result.results[0]?.position;
      // Unreachable while the guards above hold: each later row follows the first in the same transaction.
      if (position === undefined) throw new Error(`D1 batch inserted only part of an append to ${t}`);
      return position;
    });
  }

  /** The stream's rows from the one holding `fromVersion` on, in version order. */
  async streamRows(stream: StreamId, fromVersion: number, limit = -1): Promise<EventsRow[]> {
    const t = this.name;
    // Start at the row holding `from` (the greatest first_version ≤ from): the
    // stream index answers both the lookup and the ordered scan.
    const { results } = await this.db
      .prepare(
        `SELECT position, first_version, events FROM ${t}
         WHERE ${OF_STREAM}
           AND first_version >= COALESCE((SELECT first_version FROM ${t}
             WHERE ${OF_STREAM} AND first_version <= ?4 ORDER BY first_version DESC LIMIT 1), 0)
         ORDER BY first_version LIMIT ?5`,
      )
      .bind(stream.tenantId ?? '', stream.aggregateType, stream.aggregateId, fromVersion, limit)
      .all<EventsRow>();
    return results;
  }

  /**
   * Up to `limit` rows in position order, starting with the row that holds
   * position `from` (or the first row after it when `from` is not in this
   * table, e.g. archived: the row before it then holds none of the wanted
   * events, and a reader paging one row at a time would never get past it).
   */
  async rowsFrom(from: number, limit: number): Promise<EventsRow[]> {
    const t = this.name;
    const { results } = await this.db
      .prepare(
        `SELECT position, first_version, events FROM ${t}
         WHERE position >= COALESCE((SELECT CASE WHEN ${LAST_POSITION} >= ?1 THEN position ELSE ?1 END FROM ${t}
                                     WHERE position <= ?1 ORDER BY position DESC LIMIT 1), ?1)
         ORDER BY position LIMIT ?2`,
      )
      .bind(from, limit)
      .all<EventsRow>();
    return results;
  }

  /** The stream's version in this table (0 when it has no events). */
  async headVersion(stream: StreamId): Promise<number> {
    const row = await this.db
      .prepare(
        `SELECT ${LAST_VERSION} AS head FROM ${this.name} WHERE ${OF_STREAM} ORDER BY first_version DESC LIMIT 1`,
      )
      .bind(stream.tenantId ?? '', stream.aggregateType, stream.aggregateId)
      .first<{ head: number }>();
    return row?.head ?? 0;
  }

  /** The log's last position (0 when empty). */
  async logHead(): Promise<number> {
    const row = await this.db
      .prepare(`SELECT MAX(${LAST_POSITION}) AS head FROM ${this.name}`)
      .first<{ head: number | null }>();
    return row?.head ?? 0;
  }

  /** Each stream's newest row, newest first, optionally filtered (an id pattern is a LIKE pattern with `\` escapes). */
  async latestStreams(filter: {
    aggregateType: string | null;
    idPattern: string | null;
    tenantId: string | null;
    limit: number;
  }): Promise<LatestStreamRow[]> {
    const t = this.name;
    const { results } = await this.db
      .prepare(
        `SELECT e.tenant_id, e.aggregate_type, e.aggregate_id, e.${LAST_VERSION} AS version,
                e.${LAST_POSITION} AS last_position, json_extract(e.events, '$[#-1].timestamp') AS last_at
         FROM ${t} e
         WHERE e.position = (SELECT MAX(x.position) FROM ${t} x
                             WHERE x.tenant_id = e.tenant_id AND x.aggregate_type = e.aggregate_type AND x.aggregate_id = e.aggregate_id)
           AND (?1 IS NULL OR e.aggregate_type = ?1) AND (?2 IS NULL OR e.aggregate_id LIKE ?2 ESCAPE '\\') AND (?3 IS NULL OR e.tenant_id = ?3)
         ORDER BY e.position DESC LIMIT ?4`,
      )
      .bind(filter.aggregateType, filter.idPattern, filter.tenantId, filter.limit)
      .all<LatestStreamRow>();
    return results;
  }

  /**
   * How many events of `types` (stored type names) lie after position
   * `after`, and the commit time of the oldest of them (null when none).
   * Reads only the rows after `after` (the primary key), each event once,
   * and at most `maxRows` of them: a reader far behind costs a bounded read
   * (the count is then a lower bound), not the rest of the log.
   */
  async countAfter(
    after: number,
    types: readonly string[],
    maxRows = 1_000,
  ): Promise<{ events: number; oldest: number | null }> {
    const row = await this.db
      .prepare(
        `SELECT COUNT(*) AS events, MIN(json_extract(e.value, '$.timestamp')) AS oldest
         FROM (SELECT position, events FROM ${this.name}
               WHERE position >= COALESCE((SELECT position FROM ${this.name} WHERE position <= ?1 ORDER BY position DESC LIMIT 1), 0)
               ORDER BY position LIMIT ?3) AS t, json_each(t.events) AS e
         WHERE t.position + e.key > ?1
           AND json_extract(e.value, '$.type') IN (SELECT value FROM json_each(?2))`,
      )
      .bind(after, JSON.stringify(types), maxRows)
      .first<{ events: number; oldest: number | null }>();
    return { events: row?.events ?? 0, oldest: row?.oldest ?? null };
  }

  /** Rows, events, JSON bytes and the position range the table holds. */
  async totals(): Promise<EventsTableTotals> {
    const row = await this.db
      .prepare(
        `SELECT COUNT(*) AS rows, COALESCE(SUM(event_count), 0) AS events, COALESCE(SUM(length(events)), 0) AS bytes,
                MIN(position) AS firstPosition, MAX(${LAST_POSITION}) AS lastPosition FROM ${this.name}`,
      )
      .first<EventsTableTotals>();
    return row ?? { rows: 0, events: 0, bytes: 0, firstPosition: null, lastPosition: null };
  }

  /** Sum of the events' JSON bytes (what `keepD1Bytes` measures). */
  async eventBytes(): Promise<number> {
    const row = await this.db
      .prepare(`SELECT COALESCE(SUM(length(events)), 0) AS bytes FROM ${this.name}`)
      .first<{ bytes: number }>();
    return row?.bytes ?? 0;
  }

  /**
   * One page of rows after `after` for the archive planner, each with its
   * stream's head version; `types` (a JSON array) are the aggregate types
   * included, or excluded when `exclude` is set.
   */
  async archiveCandidates(
    after: number,
    limit: number,
    types: string,
    exclude: boolean,
  ): Promise<ArchiveCandidateRow[]> {
    const t = this.name;
    const typeFilter = `aggregate_type ${exclude ? 'NOT IN' : 'IN'} (SELECT value FROM json_each(?3))`;
    const { results } = await this.db
      .prepare(
        `SELECT position, tenant_id, aggregate_type, aggregate_id, first_version, event_count, length(events) AS bytes,
                json_extract(events, '$[#-1].timestamp') AS newest,
                (SELECT h.${LAST_VERSION} FROM ${t} h
                  WHERE h.tenant_id = r.tenant_id AND h.aggregate_type = r.aggregate_type AND h.aggregate_id = r.aggregate_id
                  ORDER BY h.first_version DESC LIMIT 1) AS head
         FROM ${t} r WHERE position > ?1 AND ${typeFilter} ORDER BY position LIMIT ?2`,
      )
      .bind(after, limit, types)
      .all<ArchiveCandidateRow>();
    return results;
  }

  /** The rows at these positions (row positions, not event positions), in position order. */
  async rowsAt(positions: readonly number[]): Promise<FullEventsRow[]> {
    const { results } = await this.db
      .prepare(
        `SELECT position, tenant_id, aggregate_type, aggregate_id, first_version, events FROM ${this.name}
         WHERE position IN (SELECT value FROM json_each(?1)) ORDER BY position`,
      )
      .bind(JSON.stringify(positions))
      .all<FullEventsRow>();
    return results;
  }

  /**
   * The archive commit's statements on this table, for rows whose positions
   * are bound as a JSON array at `?1` and a segment key at `?2`:
   * `allRowsPresent` is an SQL condition (true while every row is still
   * here, `?6` = how many); `indexStreams` records each stream's archived
   * version range; `deleteRows` removes the rows. The last two only act once
   * the segment row exists, so the whole commit is one guarded transaction.
   */
  archiveCommit(tables: { segments: string; streams: string }): {
    allRowsPresent: string;
    indexStreams: string;
    deleteRows: string;
  } {
    const t = this.name;
    const inRows = `position IN (SELECT value FROM json_each(?1))`;
    const committed = `EXISTS (SELECT 1 FROM ${tables.segments} WHERE segment_key = ?2)`;
    return {
      allRowsPresent: `(SELECT COUNT(*) FROM ${t} WHERE ${inRows}) = ?6`,
      indexStreams: `INSERT INTO ${tables.streams} (tenant_id, aggregate_type, aggregate_id, first_version, last_version, segment_key)
           SELECT tenant_id, aggregate_type, aggregate_id, MIN(first_version), MAX(${LAST_VERSION}), ?2
           FROM ${t} WHERE ${inRows} AND ${committed}
           GROUP BY tenant_id, aggregate_type, aggregate_id`,
      deleteRows: `DELETE FROM ${t} WHERE ${inRows} AND ${committed}`,
    };
  }
}
