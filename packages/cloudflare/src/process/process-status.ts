import { type StuckStream, selectStuckStreams, stuckStreamsOf } from '../delivery/stream-failures.js';
import { ensureProcessSchema, PROCESS_FAILURES } from './process-schema.js';

/** What a process's `status()` reports (the projection vocabulary). */
export interface ProcessStatus {
  readonly name: string;
  /** How events of a stream reach it. */
  readonly ordering: 'none' | 'stream';
  /** Ordered processes: the highest global position handled (0 otherwise). */
  readonly position: number;
  /** Ordered processes: how many aggregate streams it has handled events of (0 otherwise). */
  readonly streams: number;
  /** Streams whose first failing event keeps failing (or went to the dead-letter queue). */
  readonly stuck: readonly StuckStream[];
  /** The global position the log sweep has covered (`null` before the process handled its first event); over a sharded log, the sum of the shards'. */
  readonly swept: number | null;
}

/** Reads a process's status in one D1 batch. */
export async function readProcessStatus(
  db: D1Database,
  process: string,
  ordering: 'none' | 'stream',
): Promise<ProcessStatus> {
  await ensureProcessSchema(db);
  const [summary, failures] = await db.batch([
    db
      .prepare(
        // Sweep positions are the keys without '/' (see sweepKey); every stream key has one.
        `SELECT COALESCE(MAX(CASE WHEN instr(stream, '/') > 0 THEN position END), 0) AS position,
                COUNT(CASE WHEN instr(stream, '/') > 0 THEN 1 END) AS streams,
                SUM(CASE WHEN instr(stream, '/') = 0 THEN COALESCE(position, 0) END) AS swept
         FROM escf_process_streams WHERE process = ?1`,
      )
      .bind(process),
    selectStuckStreams(db, PROCESS_FAILURES, process),
  ]);
  const head = summary!.results[0] as { position: number; streams: number; swept: number | null };
  return {
    name: process,
    ordering,
    position: head.position,
    streams: head.streams,
    stuck: stuckStreamsOf(failures!.results),
    swept: head.swept,
  };
}
