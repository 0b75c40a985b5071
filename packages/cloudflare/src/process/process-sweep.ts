import type { EventEnvelope } from '@escf/core';
import type { EventStore } from '@escf/core/store';
import type { HandleOutcome, ProcessDeliveryReport } from './process-delivery.js';

/**
 * How a process sweeps the D1 log for events whose delivery never arrived
 * (a queue message lost with a crashed runtime, a service call that never
 * came back). The sweep hands every event of a type the process handles,
 * from its sweep position on, to the same once-per-event-id delivery as
 * the queue: handled events are skipped, so effects still run once.
 */
export interface ProcessSweepOptions {
  /**
   * Events committed less than this long ago (ms) are left to their own
   * delivery, which normally arrives within seconds; the sweep stops at
   * the first one. Default 10 s.
   */
  readonly graceMs?: number;
  /**
   * Queue batches and direct deliveries start a sweep in the background at
   * most once per interval (ms) per isolate; `scheduled` (a cron trigger on
   * the process worker) always sweeps. Default 10 s.
   */
  readonly intervalMs?: number;
  /** Events read per page of the log; default 200. */
  readonly pageSize?: number;
  /** Pages read per sweep at most (the next sweep goes on); default 10. */
  readonly maxPages?: number;
}

/** What one sweep did: events read, handled now (their delivery was lost), skipped as handled, failed (then stuck). */
export interface SweepReport extends ProcessDeliveryReport {
  readonly read: number;
  readonly failed: number;
  /** The global position the sweep has covered (every event up to it was handled, found handled, or recorded as stuck). */
  readonly position: number;
  /** True when it stopped at the head of the log or at events younger than the grace period. */
  readonly caughtUp: boolean;
}

/**
 * The sweep position lives in `escf_process_streams` under a key no stream
 * has (stream keys always contain `/`), so the process schema is unchanged.
 */
export const SWEEP_STREAM = '*';

/** What the sweep needs of the process: its database, log, delivery and the types it handles. */
export interface SweepTarget {
  readonly process: string;
  readonly db: D1Database;
  readonly store: EventStore;
  /** Hands one event to the process (once per event id). */
  handle(event: EventEnvelope): Promise<HandleOutcome>;
  /** Records a failing event as stuck. */
  recordFailure(event: EventEnvelope, error: unknown): Promise<void>;
  /** Whether a handler of the process wants the event (other types are only read past). */
  wants(event: EventEnvelope): boolean;
  readonly now: () => number;
}

/**
 * The statement that starts a process's sweep just before the first event
 * it handles: a process sweeps the events of its own lifetime, never the
 * history before it was deployed (use `redrive` for that).
 */
export function seedSweepPosition(db: D1Database, process: string, position: number): D1PreparedStatement {
  return db
    .prepare(
      'INSERT INTO escf_process_streams (process, stream, version, position) VALUES (?1, ?2, 0, ?3) ON CONFLICT DO NOTHING',
    )
    .bind(process, SWEEP_STREAM, Math.max(0, position - 1));
}

/** The position a process's sweep has covered, or `null` before it handled its first event. */
export async function readSweepPosition(db: D1Database, process: string): Promise<number | null> {
  const row = await db
    .prepare('SELECT position FROM escf_process_streams WHERE process = ?1 AND stream = ?2')
    .bind(process, SWEEP_STREAM)
    .first<{ position: number | null }>();
  return row ? (row.position ?? 0) : null;
}

/**
 * Sweeps the log once: pages from the sweep position, hands each wanted
 * event that is not marked handled to the process, and advances the
 * position page by page. It stops at an event another delivery is
 * handling right now (`busy`: the next sweep looks again) and at events
 * younger than the grace period; a failing event is recorded as stuck
 * (`status()`, `retryStuck()`) and passed.
 */
export async function sweepLog(target: SweepTarget, options: ProcessSweepOptions = {}): Promise<SweepReport> {
  const graceMs = options.graceMs ?? 10_000;
  const pageSize = options.pageSize ?? 200;
  const maxPages = options.maxPages ?? 10;
  const start = await readSweepPosition(target.db, target.process);
  const report = { read: 0, handled: 0, duplicates: 0, busy: 0, failed: 0 };
  if (start === null) return { ...report, position: 0, caughtUp: true };
  const cutoff = target.now() - graceMs;
  let position = start;
  let caughtUp = false;
  for (let page = 0; page < maxPages && !caughtUp; page++) {
    const events = await target.store.readAll({ after: position, limit: pageSize });
    report.read += events.length;
    const wanted = events.filter((event) => target.wants(event));
    const handled = await handledAmong(target.db, target.process, wanted);
    let stopped = false;
    for (const event of events) {
      if (event.timestamp > cutoff) {
        stopped = caughtUp = true;
        break;
      }
      if (target.wants(event) && !handled.has(event.id)) {
        try {
          const outcome = await target.handle(event);
          if (outcome === 'busy') {
            report.busy++;
            stopped = true;
            break;
          }
          if (outcome === 'handled') report.handled++;
          else if (outcome === 'duplicate') report.duplicates++;
        } catch (error) {
          report.failed++;
          await target.recordFailure(event, error);
        }
      } else if (handled.has(event.id)) report.duplicates++;
      position = event.position ?? position;
    }
    if (position > start) await advanceSweepPosition(target.db, target.process, position);
    if (stopped) break;
    if (events.length < pageSize) caughtUp = true;
  }
  return { ...report, position, caughtUp };
}

/** The ids among `events` the process has marked handled, in one query (one bound parameter, whatever the page size). */
async function handledAmong(db: D1Database, process: string, events: readonly EventEnvelope[]): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const { results } = await db
    .prepare(
      `SELECT event_id FROM escf_process_events
       WHERE process = ?1 AND handled_at > 0 AND event_id IN (SELECT value FROM json_each(?2))`,
    )
    .bind(process, JSON.stringify(events.map((e) => e.id)))
    .all<{ event_id: string }>();
  return new Set(results.map((row) => row.event_id));
}

async function advanceSweepPosition(db: D1Database, process: string, position: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO escf_process_streams (process, stream, version, position) VALUES (?1, ?2, 0, ?3)
       ON CONFLICT (process, stream) DO UPDATE SET position = MAX(COALESCE(escf_process_streams.position, 0), excluded.position)`,
    )
    .bind(process, SWEEP_STREAM, position)
    .run();
}
