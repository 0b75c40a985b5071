import { type FailureTable, failureTableSql } from '../delivery/failure-table.js';

/** Projections keep their stuck streams in `escf_projection_failures` (the same shape as processes'). */
export const PROJECTION_FAILURES: FailureTable = { table: 'escf_projection_failures', owner: 'projection' };

/**
 * The bookkeeping tables a projection keeps in its own D1 database, next to
 * its read model. Every table is keyed by projection name, so several
 * projections may share one database.
 *
 * - `escf_projection_streams`: the checkpoint — per aggregate stream, the
 *   last applied version, event id and global position (1 row write per
 *   event, WITHOUT ROWID). Two triggers make a checkpoint write fail unless
 *   it is exactly the next version: the read-model statements batched with
 *   it then roll back too, which is what makes concurrent deliveries of the
 *   same event (queue + RPC + rebuild) apply once.
 * - `escf_projection_failures`: the first failing event of a stuck stream.
 * - `escf_projection_rebuilds`: progress of the current rebuild.
 * - `escf_projection_rebuild_shards`: over a sharded event store, the
 *   rebuild's cursor in each shard (`escf_projection_rebuilds.cursor` is
 *   then their sum, which only grows).
 */
export const PROJECTION_SCHEMA = `
CREATE TABLE IF NOT EXISTS escf_projection_streams (
  projection TEXT NOT NULL,
  stream TEXT NOT NULL,
  version INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  position INTEGER,
  PRIMARY KEY (projection, stream)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS escf_projection_streams_first BEFORE INSERT ON escf_projection_streams
  WHEN NEW.version <> 1 AND NOT EXISTS (SELECT 1 FROM escf_projection_streams WHERE projection = NEW.projection AND stream = NEW.stream)
  BEGIN SELECT RAISE(ABORT, 'escf_checkpoint_out_of_order'); END;
CREATE TRIGGER IF NOT EXISTS escf_projection_streams_next BEFORE UPDATE ON escf_projection_streams
  WHEN NEW.version <> OLD.version + 1
  BEGIN SELECT RAISE(ABORT, 'escf_checkpoint_out_of_order'); END;
${failureTableSql(PROJECTION_FAILURES)};
CREATE TABLE IF NOT EXISTS escf_projection_rebuilds (
  projection TEXT PRIMARY KEY,
  generation INTEGER NOT NULL,
  status TEXT NOT NULL,
  cursor INTEGER NOT NULL,
  applied INTEGER NOT NULL,
  target INTEGER,
  started_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE TABLE IF NOT EXISTS escf_projection_rebuild_shards (
  projection TEXT NOT NULL,
  shard INTEGER NOT NULL,
  cursor INTEGER NOT NULL,
  PRIMARY KEY (projection, shard)
) WITHOUT ROWID;
`;

/** The error text the checkpoint triggers raise. */
export const CHECKPOINT_CONFLICT = 'escf_checkpoint_out_of_order';

/** Splits a multi-statement script, keeping `BEGIN … END;` trigger bodies whole. */
export function splitStatements(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  for (const line of script.split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('--')) continue;
    current += `${line}\n`;
    const inTrigger = /CREATE TRIGGER/i.test(current) && !/\bEND;\s*$/i.test(current.trim());
    if (current.trim().endsWith(';') && !inTrigger) {
      statements.push(current.trim().replace(/;$/, ''));
      current = '';
    }
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}

const ensured = new WeakSet<D1Database>();

/**
 * Creates the bookkeeping tables if missing, once per database per isolate
 * (CREATE … IF NOT EXISTS, so racing isolates are harmless). Deployed
 * projects may also apply {@link PROJECTION_SCHEMA} as a migration.
 */
export async function ensureProjectionSchema(db: D1Database): Promise<void> {
  if (ensured.has(db)) return;
  await db.batch(splitStatements(PROJECTION_SCHEMA).map((sql) => db.prepare(sql)));
  ensured.add(db);
}
