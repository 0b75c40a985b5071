import type { FailureTable } from '../delivery/failure-table.js';
import { applySchemaScript } from '../delivery/sql-script.js';
import { PROCESS_SCHEMA } from './process-schema.generated.js';

/** Processes keep their stuck streams in `escf_process_failures` (the same shape as projections'). */
export const PROCESS_FAILURES: FailureTable = { table: 'escf_process_failures', owner: 'process' };

/**
 * The tables a process keeps in its own D1 database (optional; every table
 * is keyed by process name), shipped as `migrations/0000_escf_process_events.sql`:
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
export { PROCESS_SCHEMA } from './process-schema.generated.js';

/** Creates the tables if missing, once per database per isolate. */
export async function ensureProcessSchema(db: D1Database): Promise<void> {
  await applySchemaScript(db, PROCESS_SCHEMA);
}
