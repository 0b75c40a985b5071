/**
 * The D1 schema of {@link D1EventStore}. The same SQL ships as
 * `migrations/0001_escf_events.sql` (a test keeps them equal); the code
 * generator copies it into a project's migrations directory.
 *
 * One row per drained batch of one aggregate: `events` holds the batch as a
 * JSON array and `position` is the global position of its first event, so
 * event `i` of a row has position `position + i` and positions are dense
 * (1, 2, 3, … with no gaps). An insert writes 2 rows (the row and its stream
 * index entry) however many events the batch holds.
 */
export function d1EventStoreMigration(table = 'escf_events'): string {
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

/** The migration for the default table `escf_events`, as shipped in `migrations/0001_escf_events.sql`. */
export const D1_EVENT_STORE_MIGRATION: string = d1EventStoreMigration();

/**
 * Creates the event store's table and index if missing. Meant for tests and
 * local tooling; deployed projects apply the migration with wrangler.
 */
export async function applyD1EventStoreSchema(db: D1Database, table = 'escf_events'): Promise<void> {
  const statements = d1EventStoreMigration(table)
    .split(';')
    .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
    .filter((statement) => statement.length > 0);
  await db.batch(statements.map((statement) => db.prepare(statement)));
}

/** Table names are spliced into SQL, so only plain identifiers are allowed. */
export function assertTableName(table: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(table)) {
    throw new RangeError(`Invalid event store table name '${table}': use letters, digits and underscores.`);
  }
}
