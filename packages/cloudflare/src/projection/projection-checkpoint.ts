import type { EventEnvelope } from '@escf/core';
import { routedAfterOf } from '../delivery/routed-after.js';

/** One event whose checkpoint a batch writes, and the version its stream was at before it (in this batch). */
export interface CheckpointMove {
  readonly key: string;
  readonly event: EventEnvelope;
  /** The stream's checkpoint the event follows: its previous version, or less when the outbox skipped unrouted versions. */
  readonly after: number;
}

/**
 * Upserts every stream's checkpoint, one row per event in version order (a
 * JSON array read with `json_each`: one bound parameter whatever the count).
 * The triggers check each row that records an event is exactly the next
 * version. An event that follows skipped versions (see `routedAfter`) is
 * preceded by a skip row: event id '' and, in `position`, the version the
 * checkpoint must already have reached; it moves the checkpoint to just
 * before the event only if so (else it changes nothing and the event's own
 * row fails the trigger, so the caller re-reads and fills the gap from the log).
 */
export function checkpointsStatement(
  db: D1Database,
  projection: string,
  moves: readonly CheckpointMove[],
): D1PreparedStatement {
  const rows: Array<[string, number, string, number | null]> = [];
  for (const { key, event, after } of moves) {
    if (event.version > after + 1) rows.push([key, event.version - 1, '', routedAfterOf(event) ?? event.version - 1]);
    rows.push([key, event.version, event.id, event.position ?? null]);
  }
  return db
    .prepare(
      `INSERT INTO escf_projection_streams (projection, stream, version, event_id, position)
       SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]')
       FROM json_each(?2) WHERE true
       ON CONFLICT (projection, stream) DO UPDATE SET
         version = excluded.version,
         event_id = CASE excluded.event_id WHEN '' THEN escf_projection_streams.event_id ELSE excluded.event_id END,
         position = CASE excluded.event_id WHEN '' THEN escf_projection_streams.position ELSE excluded.position END
       WHERE excluded.event_id <> ''
         OR (escf_projection_streams.version >= excluded.position AND escf_projection_streams.version < excluded.version)`,
    )
    .bind(projection, JSON.stringify(rows));
}
