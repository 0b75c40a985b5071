/**
 * The table a process keeps in its own D1 database (optional): the ids of
 * the events it has handled, so a redelivered event runs no effect twice.
 */
export const PROCESS_SCHEMA = `CREATE TABLE IF NOT EXISTS escf_process_events (
  process TEXT NOT NULL,
  event_id TEXT NOT NULL,
  handled_at INTEGER NOT NULL,
  PRIMARY KEY (process, event_id)
) WITHOUT ROWID`;

const ensured = new WeakSet<D1Database>();

/** Creates the table if missing, once per database per isolate. */
export async function ensureProcessSchema(db: D1Database): Promise<void> {
  if (ensured.has(db)) return;
  await db.prepare(PROCESS_SCHEMA).run();
  ensured.add(db);
}
