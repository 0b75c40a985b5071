import type { FailureTable } from '../delivery/failure-table.js';
import { applySchemaScript } from '../delivery/sql-script.js';
import { PROJECTION_SCHEMA } from './projection-schema.generated.js';

/** Projections keep their stuck streams in `escf_projection_failures` (the same shape as processes'). */
export const PROJECTION_FAILURES: FailureTable = { table: 'escf_projection_failures', owner: 'projection' };

/**
 * The bookkeeping tables a projection keeps in its own D1 database, next to
 * its read model (`migrations/0000_escf_projection_checkpoints.sql`, which
 * `escf generate` copies into the projection's migrations). Every table is
 * keyed by projection name, so several projections may share one database.
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
 * - `escf_projection_shard_positions`: over a sharded event store, the
 *   highest position of each shard the projection has applied, moved in the
 *   batches that apply events (see `ProjectionShardPositions`); the admin
 *   entrypoint counts lag per shard from it.
 */
export { PROJECTION_SCHEMA } from './projection-schema.generated.js';

/** The error text the checkpoint triggers raise. */
export const CHECKPOINT_CONFLICT = 'escf_checkpoint_out_of_order';

/**
 * Creates the bookkeeping tables if missing, once per database per isolate.
 * Deployed projects also apply the same file as a migration.
 */
export async function ensureProjectionSchema(db: D1Database): Promise<void> {
  await applySchemaScript(db, PROJECTION_SCHEMA);
}
