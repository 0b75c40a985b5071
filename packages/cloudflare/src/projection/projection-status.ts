import type { EventEnvelope } from '@escf/core';
import {
  markStreamDeadLettered,
  recordStreamFailure,
  type StuckStream,
  selectStuckStreams,
  stuckStreamsOf,
} from '../delivery/stream-failures.js';
import { ensureProjectionSchema, PROJECTION_FAILURES } from './projection-schema.js';
import { shardPositionsOf } from './projection-shard-positions.js';

export type { StuckStream } from '../delivery/stream-failures.js';

/** Progress of a rebuild. */
export interface RebuildStatus {
  readonly generation: number;
  readonly status: 'running' | 'done';
  /** Global position of the last event the rebuild has read. */
  readonly cursor: number;
  /** Events read from the log so far. */
  readonly applied: number;
  /** The log's last position when the rebuild started, when known. */
  readonly target: number | null;
  readonly startedAt: number;
  /** When a step last moved it (a rebuild that stops moving is resumed by its watchdog message). */
  readonly updatedAt: number;
  readonly finishedAt: number | null;
}

/** What `status()` reports about a projection. */
export interface ProjectionStatus {
  readonly name: string;
  /** The highest global position applied (over a sharded store: of any shard, so use `shardPositions`). */
  readonly position: number;
  /**
   * Only over a sharded event store: per shard, the highest position of
   * that shard the projection has applied (0 where it has applied nothing),
   * by shard number. The admin entrypoint counts lag from these.
   */
  readonly shardPositions?: readonly number[];
  /** How many aggregate streams it has applied events of. */
  readonly streams: number;
  readonly stuck: readonly StuckStream[];
  /** The rebuild running now, else the last one (for a blue/green projection: of the active database). */
  readonly rebuild: RebuildStatus | null;
  /** Only for a blue/green projection (`standbyDatabase`): the binding queries read, and the one a running rebuild fills. */
  readonly databases?: { readonly active: string; readonly rebuilding: string | null };
}

/**
 * Records that a stream is stuck on `event` (keeps the first failing version
 * per stream). `attempts` is the queue message's attempt count, or 0 for an
 * RPC delivery (then the stored count goes up by one).
 */
export async function recordFailure(
  db: D1Database,
  projection: string,
  event: EventEnvelope,
  error: unknown,
  attempts: number,
  deadLettered: boolean,
): Promise<void> {
  await ensureProjectionSchema(db);
  await recordStreamFailure(db, PROJECTION_FAILURES, projection, event, error, attempts, deadLettered, Date.now());
}

/** Marks a stream's failure as dead-lettered (a message arrived on the dead-letter queue). */
export async function markDeadLettered(db: D1Database, projection: string, event: EventEnvelope): Promise<void> {
  await ensureProjectionSchema(db);
  await markStreamDeadLettered(db, PROJECTION_FAILURES, projection, event, Date.now());
}

/** Reads the whole status of a projection in one D1 batch; with `shardCount` over 1, its position in each shard too. */
export async function readStatus(db: D1Database, projection: string, shardCount = 1): Promise<ProjectionStatus> {
  await ensureProjectionSchema(db);
  const [summary, failures, rebuild, shards] = await db.batch([
    db
      .prepare(
        'SELECT COALESCE(MAX(position), 0) AS position, COUNT(*) AS streams FROM escf_projection_streams WHERE projection = ?1',
      )
      .bind(projection),
    selectStuckStreams(db, PROJECTION_FAILURES, projection),
    db.prepare('SELECT * FROM escf_projection_rebuilds WHERE projection = ?1').bind(projection),
    // Only a sharded store's positions are recorded: no statement for the others.
    ...(shardCount > 1
      ? [
          db
            .prepare('SELECT shard, position FROM escf_projection_shard_positions WHERE projection = ?1')
            .bind(projection),
        ]
      : []),
  ]);
  const head = summary!.results[0] as { position: number; streams: number };
  return {
    name: projection,
    position: head.position,
    streams: head.streams,
    stuck: stuckStreamsOf(failures!.results),
    rebuild: rebuildStatusOf(rebuild!.results[0] as RebuildRow | undefined),
    ...(shards
      ? { shardPositions: shardPositionsOf(shards.results as { shard: number; position: number }[], shardCount) }
      : {}),
  };
}

export interface RebuildRow {
  generation: number;
  status: 'running' | 'done';
  cursor: number;
  applied: number;
  target: number | null;
  started_at: number;
  updated_at: number;
  finished_at: number | null;
}

export function rebuildStatusOf(row: RebuildRow | undefined | null): RebuildStatus | null {
  if (!row) return null;
  return {
    generation: row.generation,
    status: row.status,
    cursor: row.cursor,
    applied: row.applied,
    target: row.target,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}
