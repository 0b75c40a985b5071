import type { EventEnvelope } from '@escf/core';
import { messageOf } from './projection-errors.js';
import { ensureProjectionSchema } from './projection-schema.js';
import { streamKeyOf } from './stream-of-event.js';

/** One stuck stream: the first event of it that keeps failing. */
export interface StuckStream {
  readonly stream: string;
  readonly version: number;
  readonly eventId: string;
  readonly eventType: string;
  readonly error: string;
  readonly attempts: number;
  /** True once the delivery was given up and went to the dead-letter queue. */
  readonly deadLettered: boolean;
  readonly updatedAt: number;
}

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
  /** The highest global position applied. */
  readonly position: number;
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
  const details = (error as { details?: { stream?: string; version?: number; eventId?: string; eventType?: string } })?.details;
  // A failure in a gap-filled event names that event, not the delivered one.
  const stream = details?.stream ?? streamKeyOf(event);
  await db
    .prepare(
      `INSERT INTO escf_projection_failures (projection, stream, version, event_id, event_type, error, attempts, dead_lettered, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
       ON CONFLICT (projection, stream) DO UPDATE SET
         version = excluded.version, event_id = excluded.event_id, event_type = excluded.event_type, error = excluded.error,
         attempts = CASE WHEN ?10 > 0 THEN MAX(escf_projection_failures.attempts, excluded.attempts) ELSE escf_projection_failures.attempts + 1 END,
         dead_lettered = MAX(escf_projection_failures.dead_lettered, excluded.dead_lettered), updated_at = excluded.updated_at
       WHERE excluded.version <= escf_projection_failures.version`,
    )
    .bind(
      projection,
      stream,
      details?.version ?? event.version,
      details?.eventId ?? event.id,
      details?.eventType ?? event.type,
      messageOf(error).slice(0, 2000),
      Math.max(1, attempts),
      deadLettered ? 1 : 0,
      Date.now(),
      attempts,
    )
    .run();
}

/** Marks a stream's failure as dead-lettered (a message arrived on the dead-letter queue). */
export async function markDeadLettered(db: D1Database, projection: string, event: EventEnvelope): Promise<void> {
  await ensureProjectionSchema(db);
  await db
    .prepare(
      `INSERT INTO escf_projection_failures (projection, stream, version, event_id, event_type, error, attempts, dead_lettered, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, 'dead-lettered', 0, 1, ?6)
       ON CONFLICT (projection, stream) DO UPDATE SET dead_lettered = 1, updated_at = excluded.updated_at`,
    )
    .bind(projection, streamKeyOf(event), event.version, event.id, event.type, Date.now())
    .run();
}

/** Reads the whole status of a projection in one D1 batch. */
export async function readStatus(db: D1Database, projection: string): Promise<ProjectionStatus> {
  await ensureProjectionSchema(db);
  const [summary, failures, rebuild] = await db.batch([
    db.prepare('SELECT COALESCE(MAX(position), 0) AS position, COUNT(*) AS streams FROM escf_projection_streams WHERE projection = ?1').bind(projection),
    db.prepare('SELECT * FROM escf_projection_failures WHERE projection = ?1 ORDER BY updated_at').bind(projection),
    db.prepare('SELECT * FROM escf_projection_rebuilds WHERE projection = ?1').bind(projection),
  ]);
  const head = summary!.results[0] as { position: number; streams: number };
  return {
    name: projection,
    position: head.position,
    streams: head.streams,
    stuck: (failures!.results as FailureRow[]).map((row) => ({
      stream: row.stream,
      version: row.version,
      eventId: row.event_id,
      eventType: row.event_type,
      error: row.error,
      attempts: row.attempts,
      deadLettered: row.dead_lettered === 1,
      updatedAt: row.updated_at,
    })),
    rebuild: rebuildStatusOf(rebuild!.results[0] as RebuildRow | undefined),
  };
}

interface FailureRow {
  stream: string;
  version: number;
  event_id: string;
  event_type: string;
  error: string;
  attempts: number;
  dead_lettered: number;
  updated_at: number;
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
