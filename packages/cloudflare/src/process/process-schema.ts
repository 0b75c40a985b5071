/**
 * The table a process keeps in its own D1 database (optional): one row per
 * event it has started or finished handling. A delivery first *claims* the
 * event (`claimed_until`, a lease), runs the handlers, then marks it handled
 * (`handled_at`); a concurrent delivery of the same event finds the claim and
 * backs off, and a claim left by a crashed delivery expires so the event is
 * handled again.
 */
export const PROCESS_SCHEMA = `CREATE TABLE IF NOT EXISTS escf_process_events (
  process TEXT NOT NULL,
  event_id TEXT NOT NULL,
  handled_at INTEGER NOT NULL,
  claimed_until INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (process, event_id)
) WITHOUT ROWID`;

const ensured = new WeakSet<D1Database>();

/** Creates the table if missing, once per database per isolate. */
export async function ensureProcessSchema(db: D1Database): Promise<void> {
  if (ensured.has(db)) return;
  await db.prepare(PROCESS_SCHEMA).run();
  ensured.add(db);
}
