import { EVENT_STORE_TABLE } from '@escf/core/internal';
import { assertTableName, EventsTable, eventsTableMigration } from './events-table.js';

export { assertTableName };

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
export function d1EventStoreMigration(table = EVENT_STORE_TABLE): string {
  return eventsTableMigration(table);
}

/** The migration for the default table `escf_events`, as shipped in `migrations/0001_escf_events.sql`. */
export const D1_EVENT_STORE_MIGRATION: string = d1EventStoreMigration();

/**
 * Creates the event store's table and index if missing. Meant for tests and
 * local tooling; deployed projects apply the migration with wrangler.
 */
export async function applyD1EventStoreSchema(db: D1Database, table = EVENT_STORE_TABLE): Promise<void> {
  await new EventsTable(db, table).create();
}
