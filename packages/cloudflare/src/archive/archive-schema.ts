import { EVENT_STORE_TABLE } from '@escf/core/internal';
import { assertTableName } from '../event-store/d1-migration.js';

/** The D1 tables that index an event table's archive (named after the event table). */
export interface ArchiveTables {
  /** The event table whose rows are archived. */
  readonly events: string;
  /** One row per committed segment: the manifest. */
  readonly segments: string;
  /** One row per (stream, segment): which segments hold which versions of a stream. */
  readonly streams: string;
}

/** The archive's table names for an event table (`escf_events` → `escf_events_segments`, `escf_events_archived_streams`). */
export function archiveTables(eventTable = EVENT_STORE_TABLE): ArchiveTables {
  assertTableName(eventTable);
  const tables = { events: eventTable, segments: `${eventTable}_segments`, streams: `${eventTable}_archived_streams` };
  assertTableName(tables.streams);
  return tables;
}

/**
 * The D1 schema of the archive manifest. A segment row and the deletion of
 * the rows it holds commit in one D1 batch, so D1 is where "archived" is
 * decided; the R2 objects are immutable and never listed by readers.
 */
export function archiveMigration(eventTable = EVENT_STORE_TABLE): string {
  const t = archiveTables(eventTable);
  return `-- ESCF archive manifest for ${t.events}: segments in R2 and the streams they hold.
CREATE TABLE IF NOT EXISTS ${t.segments} (
  segment_key TEXT PRIMARY KEY,
  aggregate_type TEXT NOT NULL,
  first_position INTEGER NOT NULL,
  last_position INTEGER NOT NULL,
  row_count INTEGER NOT NULL,
  event_count INTEGER NOT NULL,
  ndjson_bytes INTEGER NOT NULL,
  gzip_bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  oldest_timestamp INTEGER,
  newest_timestamp INTEGER,
  archived_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ${t.segments}_first ON ${t.segments} (first_position);
CREATE TABLE IF NOT EXISTS ${t.streams} (
  tenant_id TEXT NOT NULL,
  aggregate_type TEXT NOT NULL,
  aggregate_id TEXT NOT NULL,
  first_version INTEGER NOT NULL,
  last_version INTEGER NOT NULL,
  segment_key TEXT NOT NULL,
  PRIMARY KEY (tenant_id, aggregate_type, aggregate_id, first_version)
) WITHOUT ROWID;
`;
}

const ensured = new WeakMap<D1Database, Set<string>>();

/** Creates the archive tables if missing (once per database binding and table per isolate). */
export async function ensureArchiveSchema(db: D1Database, eventTable = EVENT_STORE_TABLE): Promise<void> {
  const done = ensured.get(db) ?? new Set<string>();
  if (done.has(eventTable)) return;
  const statements = archiveMigration(eventTable)
    .split(';')
    .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
    .filter((statement) => statement.length > 0);
  await db.batch(statements.map((statement) => db.prepare(statement)));
  done.add(eventTable);
  ensured.set(db, done);
}
