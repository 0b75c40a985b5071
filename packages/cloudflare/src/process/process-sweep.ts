import type { EventEnvelope } from '@escf/core';
import { type EventStore, isShardedEventLog, type ShardedEventLog } from '@escf/core/store';
import { streamOf } from '../delivery/stream-of-event.js';
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
  /** The global position the sweep has covered (every event up to it was handled, found handled, or recorded as stuck); over a sharded log, the sum of the shards'. */
  readonly position: number;
  /** Over a sharded log: each shard's covered position, by shard number. */
  readonly shards?: readonly number[];
  /** True when it stopped at the head of the log or at events younger than the grace period. */
  readonly caughtUp: boolean;
}

/**
 * Sweep positions live in `escf_process_streams` under keys no stream has
 * (stream keys always contain `/`), so the process schema is unchanged:
 * `*` for the log (shard 0 of a sharded log, so a store that grew from one
 * database keeps its position), `*N` for shard N.
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

/** The key of shard `shard`'s sweep position. */
export function sweepKey(shard: number): string {
  return shard === 0 ? SWEEP_STREAM : `${SWEEP_STREAM}${shard}`;
}

/** The shard a sweep-position key names, or `null` for a stream's key. */
function shardOfSweepKey(key: string): number | null {
  if (key === SWEEP_STREAM) return 0;
  const shard = key.startsWith(SWEEP_STREAM) ? Number(key.slice(SWEEP_STREAM.length)) : Number.NaN;
  return Number.isInteger(shard) && shard > 0 ? shard : null;
}

/**
 * The statements that start a process's sweep just before the first event
 * it handles: a process sweeps the events of its own lifetime, never the
 * history before it was deployed (use `redrive` for that). Over a sharded
 * log every shard starts at once — the event's own shard just before it,
 * each other shard at its head now — so a delivery lost in a shard the
 * process has not heard from yet is swept too.
 */
export async function seedSweepPositions(
  db: D1Database,
  process: string,
  event: EventEnvelope & { position: number },
  log: ShardedEventLog | null,
): Promise<D1PreparedStatement[]> {
  if (log === null || log.shardCount < 2) return [seedSweepPosition(db, process, SWEEP_STREAM, event.position)];
  const own = await log.shardOf(streamOf(event));
  const starts = await Promise.all(
    Array.from({ length: log.shardCount }, (_, shard) =>
      shard === own ? event.position : log.shardHead(shard).then((head) => head + 1),
    ),
  );
  return starts.map((position, shard) => seedSweepPosition(db, process, sweepKey(shard), position));
}

/** Starts one sweep position just before `position`, unless it has started already. */
function seedSweepPosition(db: D1Database, process: string, key: string, position: number): D1PreparedStatement {
  return db
    .prepare(
      'INSERT INTO escf_process_streams (process, stream, version, position) VALUES (?1, ?2, 0, ?3) ON CONFLICT DO NOTHING',
    )
    .bind(process, key, Math.max(0, position - 1));
}

/** Each started sweep position by shard (shard 0 alone for an unsharded log); empty before the process handled its first event. */
export async function readSweepPositions(db: D1Database, process: string): Promise<Map<number, number>> {
  const { results } = await db
    .prepare(`SELECT stream, position FROM escf_process_streams WHERE process = ?1 AND instr(stream, '/') = 0`)
    .bind(process)
    .all<{ stream: string; position: number | null }>();
  const positions = new Map<number, number>();
  for (const row of results) {
    const shard = shardOfSweepKey(row.stream);
    if (shard !== null) positions.set(shard, row.position ?? 0);
  }
  return positions;
}

/** One log to sweep: the whole log, or one shard of a sharded one. */
interface SweptLog {
  readonly shard: number;
  read(after: number, limit: number): Promise<EventEnvelope[]>;
}

/**
 * Sweeps the log once: pages from the sweep position, hands each wanted
 * event that is not marked handled to the process, and advances the
 * position page by page. It stops at an event another delivery is
 * handling right now (`busy`: the next sweep looks again) and at events
 * younger than the grace period; a failing event is recorded as stuck
 * (`status()`, `retryStuck()`) and passed. A sharded log is swept shard by
 * shard, side by side, each from its own position; a shard added after the
 * process started (no position yet) is swept from its beginning, which is
 * within the process's lifetime.
 */
export async function sweepLog(target: SweepTarget, options: ProcessSweepOptions = {}): Promise<SweepReport> {
  const starts = await readSweepPositions(target.db, target.process);
  const empty = { read: 0, handled: 0, duplicates: 0, busy: 0, failed: 0 };
  if (starts.size === 0) return { ...empty, position: 0, caughtUp: true };
  const store = target.store;
  if (!isShardedEventLog(store) || store.shardCount < 2) {
    const log = { shard: 0, read: (after: number, limit: number) => store.readAll({ after, limit }) };
    return sweepOne(target, options, log, starts.get(0) ?? 0);
  }
  const reports = await Promise.all(
    Array.from({ length: store.shardCount }, (_, shard) =>
      sweepOne(
        target,
        options,
        { shard, read: (after, limit) => store.readShard(shard, { after, limit }) },
        starts.get(shard) ?? 0,
      ),
    ),
  );
  const sum = (key: 'read' | 'handled' | 'duplicates' | 'busy' | 'failed' | 'position') =>
    reports.reduce((total, report) => total + report[key], 0);
  return {
    read: sum('read'),
    handled: sum('handled'),
    duplicates: sum('duplicates'),
    busy: sum('busy'),
    failed: sum('failed'),
    position: sum('position'),
    shards: reports.map((report) => report.position),
    caughtUp: reports.every((report) => report.caughtUp),
  };
}

/** Sweeps one log (or shard) from `start`. */
async function sweepOne(
  target: SweepTarget,
  options: ProcessSweepOptions,
  log: SweptLog,
  start: number,
): Promise<SweepReport> {
  const graceMs = options.graceMs ?? 10_000;
  const pageSize = options.pageSize ?? 200;
  const maxPages = options.maxPages ?? 10;
  const report = { read: 0, handled: 0, duplicates: 0, busy: 0, failed: 0 };
  const cutoff = target.now() - graceMs;
  let position = start;
  let caughtUp = false;
  for (let page = 0; page < maxPages && !caughtUp; page++) {
    const events = await log.read(position, pageSize);
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
    if (position > start) await advanceSweepPosition(target.db, target.process, sweepKey(log.shard), position);
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

async function advanceSweepPosition(db: D1Database, process: string, key: string, position: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO escf_process_streams (process, stream, version, position) VALUES (?1, ?2, 0, ?3)
       ON CONFLICT (process, stream) DO UPDATE SET position = MAX(COALESCE(escf_process_streams.position, 0), excluded.position)`,
    )
    .bind(process, key, position)
    .run();
}
