import { type FailureTable, failureTableSql } from '../delivery/failure-table.js';
import { splitStatements } from '../projection/projection-schema.js';

/** Processes keep their stuck streams in `escf_process_failures` (the same shape as projections'). */
export const PROCESS_FAILURES: FailureTable = { table: 'escf_process_failures', owner: 'process' };

/**
 * The tables a process keeps in its own D1 database (optional; every table
 * is keyed by process name):
 *
 * - `escf_process_events`: one row per event it has started or finished
 *   handling. A delivery first *claims* the event (`claimed_until`, a
 *   lease), runs the handlers, then marks it handled (`handled_at`); a
 *   concurrent delivery of the same event finds the claim and backs off, and
 *   a claim left by a crashed delivery expires so the event is handled again.
 * - `escf_process_streams`: for processes with `ordering: 'stream'`, the
 *   checkpoint per aggregate stream (last handled version and its global
 *   position); an event ahead of it first pulls the missing versions from
 *   the event store.
 * - `escf_process_failures`: the first failing event of a stuck stream.
 */
export const PROCESS_SCHEMA = `CREATE TABLE IF NOT EXISTS escf_process_events (
  process TEXT NOT NULL,
  event_id TEXT NOT NULL,
  handled_at INTEGER NOT NULL,
  claimed_until INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (process, event_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS escf_process_streams (
  process TEXT NOT NULL,
  stream TEXT NOT NULL,
  version INTEGER NOT NULL,
  position INTEGER,
  PRIMARY KEY (process, stream)
) WITHOUT ROWID;
${failureTableSql(PROCESS_FAILURES)};
`;

const ensured = new WeakSet<D1Database>();

/** Creates the tables if missing, once per database per isolate. */
export async function ensureProcessSchema(db: D1Database): Promise<void> {
  if (ensured.has(db)) return;
  await db.batch(splitStatements(PROCESS_SCHEMA).map((sql) => db.prepare(sql)));
  ensured.add(db);
}
