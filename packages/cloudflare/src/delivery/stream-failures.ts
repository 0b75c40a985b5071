import type { EventEnvelope } from '@escf/core';
import type { FailureTable } from './failure-table.js';
import { streamKeyOf } from './stream-of-event.js';

export type { FailureTable } from './failure-table.js';

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

/**
 * Records that a stream is stuck on `event` (keeps the first failing version
 * per stream). `attempts` is the queue message's attempt count, or 0 for an
 * RPC delivery (then the stored count goes up by one). An error whose
 * `details` name another event of the stream (a gap-filled one) is recorded
 * against that event.
 */
export async function recordStreamFailure(
  db: D1Database,
  { table, owner }: FailureTable,
  name: string,
  event: EventEnvelope,
  error: unknown,
  attempts: number,
  deadLettered: boolean,
  now: number,
): Promise<void> {
  const details = (error as { details?: { stream?: string; version?: number; eventId?: string; eventType?: string } })
    ?.details;
  const stream = details?.stream ?? streamKeyOf(event);
  await db
    .prepare(
      `INSERT INTO ${table} (${owner}, stream, version, event_id, event_type, error, attempts, dead_lettered, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
       ON CONFLICT (${owner}, stream) DO UPDATE SET
         version = excluded.version, event_id = excluded.event_id, event_type = excluded.event_type, error = excluded.error,
         attempts = CASE WHEN ?10 > 0 THEN MAX(${table}.attempts, excluded.attempts) ELSE ${table}.attempts + 1 END,
         dead_lettered = MAX(${table}.dead_lettered, excluded.dead_lettered), updated_at = excluded.updated_at
       WHERE excluded.version <= ${table}.version`,
    )
    .bind(
      name,
      stream,
      details?.version ?? event.version,
      details?.eventId ?? event.id,
      details?.eventType ?? event.type,
      errorMessage(error).slice(0, 2000),
      Math.max(1, attempts),
      deadLettered ? 1 : 0,
      now,
      attempts,
    )
    .run();
}

/** Marks a stream's failure as dead-lettered (a message arrived on the dead-letter queue). */
export async function markStreamDeadLettered(
  db: D1Database,
  { table, owner }: FailureTable,
  name: string,
  event: EventEnvelope,
  now: number,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO ${table} (${owner}, stream, version, event_id, event_type, error, attempts, dead_lettered, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, 'dead-lettered', 0, 1, ?6)
       ON CONFLICT (${owner}, stream) DO UPDATE SET dead_lettered = 1, updated_at = excluded.updated_at`,
    )
    .bind(name, streamKeyOf(event), event.version, event.id, event.type, now)
    .run();
}

/** The statement that reads a reactor's stuck streams (for a status batch); map its rows with {@link stuckStreamsOf}. */
export function selectStuckStreams(db: D1Database, { table, owner }: FailureTable, name: string): D1PreparedStatement {
  return db.prepare(`SELECT * FROM ${table} WHERE ${owner} = ?1 ORDER BY updated_at`).bind(name);
}

/** Rows of {@link selectStuckStreams} as {@link StuckStream}s. */
export function stuckStreamsOf(rows: readonly unknown[]): StuckStream[] {
  return (rows as FailureRow[]).map((row) => ({
    stream: row.stream,
    version: row.version,
    eventId: row.event_id,
    eventType: row.event_type,
    error: row.error,
    attempts: row.attempts,
    deadLettered: row.dead_lettered === 1,
    updatedAt: row.updated_at,
  }));
}

/** The stream id of a stuck stream's key (the tenant is URI-encoded, see core's streamKey; the id may contain '/'). */
export function streamOfKey(key: string): { aggregateType: string; aggregateId: string; tenantId?: string } {
  const [tenantId, aggregateType, ...rest] = key.split('/');
  return {
    aggregateType: aggregateType!,
    aggregateId: rest.join('/'),
    ...(tenantId ? { tenantId: decodeURIComponent(tenantId) } : {}),
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
