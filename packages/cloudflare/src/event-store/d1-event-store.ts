import { ConcurrencyError, type EventEnvelope, InternalError } from '@escf/core';
import { streamKey } from '@escf/core/internal';
import {
  type AppendOptions,
  type AppendResult,
  assertStreamNumbering,
  type EventStore,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StreamId,
} from '@escf/core/store';
import { assertTableName } from './d1-migration.js';

/** Options of {@link D1EventStore}. */
export interface D1EventStoreOptions {
  /** Table name; defaults to `escf_events` (see {@link d1EventStoreMigration}). */
  readonly table?: string;
  /**
   * Largest JSON size of one row's events, in bytes. Bigger batches are split
   * into several rows (an event larger than this gets a row of its own).
   * Defaults to 90,000, below D1's ~100 KB statement limit.
   */
  readonly maxRowBytes?: number;
  /** Most events in one row; defaults to 500. */
  readonly maxEventsPerRow?: number;
}

/** What the store wrote to D1 so far, from D1's own `meta` (for cost reports and benchmarks). */
export interface D1WriteStats {
  rowsWritten: number;
  rowsRead: number;
  statements: number;
}

interface EventRow {
  readonly position: number;
  readonly first_version: number;
  readonly events: string;
}

/**
 * The D1 event store: the shared log projections rebuild from. Implements
 * core's {@link EventStore} and passes `describeEventStoreConformance`.
 *
 * Layout: one row per appended batch of one stream (see
 * {@link d1EventStoreMigration}); `position` is global and dense, event `i`
 * of a row has position `row.position + i`. Appends are guarded inside the
 * insert statement (the stream must be at the expected version), so they are
 * atomic and a redelivered batch writes nothing.
 *
 * @example
 * ```ts
 * const store = new D1EventStore(env.ESCF_EVENTS);
 * for (let after = 0; ; ) {
 *   const batch = await store.readAll({ after, limit: 500 });
 *   if (batch.length === 0) break;
 *   // … apply batch …
 *   after = batch.at(-1)!.position!;
 * }
 * ```
 */
export class D1EventStore implements EventStore {
  /** Running totals of D1's `meta` for the writes of this instance. */
  readonly stats: D1WriteStats = { rowsWritten: 0, rowsRead: 0, statements: 0 };
  private readonly table: string;
  private readonly maxRowBytes: number;
  private readonly maxEventsPerRow: number;

  constructor(
    private readonly db: D1Database,
    options: D1EventStoreOptions = {},
  ) {
    this.table = options.table ?? 'escf_events';
    assertTableName(this.table);
    this.maxRowBytes = options.maxRowBytes ?? 90_000;
    this.maxEventsPerRow = Math.max(1, Math.min(options.maxEventsPerRow ?? 500, 10_000));
  }

  async append(stream: StreamId, events: readonly EventEnvelope[], options: AppendOptions): Promise<AppendResult> {
    assertStreamNumbering(events, options.expectedVersion, stream);
    if (events.length === 0) return { version: await this.headVersion(stream), appended: 0 };
    const positions = await this.insert(stream, events, options.expectedVersion);
    if (positions) return { version: options.expectedVersion + events.length, appended: events.length };
    // Nothing inserted: either a redelivery of stored events or a real conflict.
    const stored = await this.readStream(stream, { fromVersion: events[0]!.version, limit: events.length });
    const head = await this.headVersion(stream);
    if (stored.length === events.length && stored.every((event, index) => event.id === events[index]!.id)) {
      return { version: head, appended: 0 };
    }
    throw ConcurrencyError.between(options.expectedVersion, head, streamKey(stream));
  }

  /**
   * Stores whatever part of `events` (one stream's next versions, in order)
   * is not stored yet and returns every event's global position. This is how
   * the outbox writes: after a lost acknowledgement it sends the same events
   * again, and nothing is written twice.
   *
   * Throws `InternalError` if the stream holds other events at those
   * versions, or is behind the first event (events would be missing).
   */
  async appendIdempotently(stream: StreamId, events: readonly EventEnvelope[]): Promise<number[]> {
    if (events.length === 0) return [];
    const expected = events[0]!.version - 1;
    assertStreamNumbering(events, expected, stream);
    const inserted = await this.insert(stream, events, expected);
    if (inserted) return inserted;

    const head = await this.headVersion(stream);
    if (head < expected) {
      throw new InternalError(
        `D1 stream ${streamKey(stream)} is at version ${head}, behind the outbox (${expected}): events are missing`,
        {
          details: {
            stream: streamKey(stream),
            head,
            expected,
          },
        },
      );
    }
    const stored = await this.readStream(stream, { fromVersion: events[0]!.version, limit: events.length });
    stored.forEach((event, index) => {
      if (event.id !== events[index]!.id) {
        throw new InternalError(
          `D1 stream ${streamKey(stream)} holds event ${event.id} at version ${event.version}, not ${events[index]!.id}`,
          {
            details: {
              stream: streamKey(stream),
              version: event.version,
            },
          },
        );
      }
    });
    const missing = events.slice(stored.length);
    if (missing.length === 0) return stored.map((event) => event.position!);
    const rest = await this.insert(stream, missing, stored.length === 0 ? expected : stored.at(-1)!.version);
    if (!rest)
      throw new InternalError(`Concurrent writer on D1 stream ${streamKey(stream)}`, {
        details: { stream: streamKey(stream) },
      });
    return [...stored.map((event) => event.position!), ...rest];
  }

  async readStream(stream: StreamId, options: ReadStreamOptions = {}): Promise<EventEnvelope[]> {
    const from = Math.max(1, options.fromVersion ?? 1);
    if (options.limit !== undefined && options.limit <= 0) return [];
    const t = this.table;
    // Start at the row holding `from` (the greatest first_version ≤ from): the
    // stream index answers both the lookup and the ordered scan.
    const { results } = await this.db
      .prepare(
        `SELECT position, first_version, events FROM ${t}
         WHERE tenant_id = ?1 AND aggregate_type = ?2 AND aggregate_id = ?3
           AND first_version >= COALESCE((SELECT first_version FROM ${t}
             WHERE tenant_id = ?1 AND aggregate_type = ?2 AND aggregate_id = ?3 AND first_version <= ?4
             ORDER BY first_version DESC LIMIT 1), 0)
         ORDER BY first_version LIMIT ?5`,
      )
      .bind(stream.tenantId ?? '', stream.aggregateType, stream.aggregateId, from, options.limit ?? -1)
      .all<EventRow>();
    const events = results.flatMap(eventsOfRow).filter((event) => event.version >= from);
    return options.limit === undefined ? events : events.slice(0, options.limit);
  }

  async readAll(options: ReadAllOptions): Promise<EventEnvelope[]> {
    const after = Math.max(0, options.after ?? 0);
    const limit = Math.max(0, options.limit);
    const collected: EventEnvelope[] = [];
    let next = after + 1; // the position of the first event we want
    while (collected.length < limit) {
      const pageSize = Math.min(limit - collected.length, 100);
      const { results } = await this.db
        .prepare(
          `SELECT position, first_version, events FROM ${this.table}
           WHERE position >= COALESCE((SELECT position FROM ${this.table} WHERE position <= ?1 ORDER BY position DESC LIMIT 1), 0)
           ORDER BY position LIMIT ?2`,
        )
        .bind(next, pageSize)
        .all<EventRow>();
      for (const row of results) {
        for (const event of eventsOfRow(row)) {
          if (event.position! >= next && collected.length < limit) collected.push(event);
        }
      }
      if (results.length < pageSize) break;
      const last = results.at(-1)!;
      next = last.position + (JSON.parse(last.events) as unknown[]).length;
    }
    return collected;
  }

  /** The stream's version in D1 (0 when it has no events). */
  async headVersion(stream: StreamId): Promise<number> {
    const row = await this.db
      .prepare(
        `SELECT first_version + event_count - 1 AS head FROM ${this.table}
         WHERE tenant_id = ?1 AND aggregate_type = ?2 AND aggregate_id = ?3 ORDER BY first_version DESC LIMIT 1`,
      )
      .bind(stream.tenantId ?? '', stream.aggregateType, stream.aggregateId)
      .first<{ head: number }>();
    return row?.head ?? 0;
  }

  /**
   * Inserts the events as one or more rows in one D1 batch (a transaction).
   * Each statement inserts only if the stream is exactly at the version
   * before its first event, so a stale or repeated append inserts nothing.
   * Returns each event's position, or `null` when nothing was inserted.
   */
  private async insert(
    stream: StreamId,
    events: readonly EventEnvelope[],
    expectedVersion: number,
  ): Promise<number[] | null> {
    const t = this.table;
    const insertRow = (extraGuard: string) =>
      this.db.prepare(
        `INSERT INTO ${t} (position, tenant_id, aggregate_type, aggregate_id, first_version, event_count, events)
         SELECT COALESCE((SELECT position + event_count FROM ${t} ORDER BY position DESC LIMIT 1), 1), ?1, ?2, ?3, ?4, ?5, ?6
         WHERE COALESCE((SELECT first_version + event_count - 1 FROM ${t}
           WHERE tenant_id = ?1 AND aggregate_type = ?2 AND aggregate_id = ?3 ORDER BY first_version DESC LIMIT 1), 0) = ?4 - 1
         ${extraGuard}
         RETURNING position`,
      );
    const first = insertRow('');
    // Later rows also require that the previous row is this batch's: otherwise
    // a stale batch could skip its first row and still land its second.
    const next = insertRow(
      `AND EXISTS (SELECT 1 FROM ${t} WHERE tenant_id = ?1 AND aggregate_type = ?2 AND aggregate_id = ?3
         AND first_version = ?7 AND json_extract(events, '$[0].id') = ?8)`,
    );
    const rows = this.chunk(events);
    const results = await this.db.batch<{ position: number }>(
      rows.map((row, index) => {
        const values = [
          stream.tenantId ?? '',
          stream.aggregateType,
          stream.aggregateId,
          row.firstVersion,
          row.events.length,
          row.json,
        ];
        if (index === 0) return first.bind(...values);
        const previous = rows[index - 1]!;
        return next.bind(...values, previous.firstVersion, previous.events[0]!.id);
      }),
    );
    for (const result of results) {
      this.stats.rowsWritten += result.meta.rows_written ?? 0;
      this.stats.rowsRead += result.meta.rows_read ?? 0;
      this.stats.statements += 1;
    }
    if (results[0]?.results.length !== 1) return null;
    if (expectedVersion !== events[0]!.version - 1)
      throw new RangeError('expectedVersion does not match the first event');
    return results.flatMap((result, index) => {
      const position = result.results[0]?.position;
      if (position === undefined) throw new InternalError(`D1 batch inserted only part of ${streamKey(stream)}`);
      return rows[index]!.events.map((_, offset) => position + offset);
    });
  }

  /** Splits events into rows by count and JSON size. */
  private chunk(
    events: readonly EventEnvelope[],
  ): Array<{ firstVersion: number; events: EventEnvelope[]; json: string }> {
    const rows: Array<{ firstVersion: number; events: EventEnvelope[]; json: string }> = [];
    let current: string[] = [];
    let currentEvents: EventEnvelope[] = [];
    let size = 2;
    const flush = () => {
      if (currentEvents.length === 0) return;
      rows.push({ firstVersion: currentEvents[0]!.version, events: currentEvents, json: `[${current.join(',')}]` });
      current = [];
      currentEvents = [];
      size = 2;
    };
    for (const event of events) {
      const { position: _position, ...stored } = event;
      const json = JSON.stringify(stored);
      const bytes = utf8Length(json) + 1;
      if (currentEvents.length > 0 && (size + bytes > this.maxRowBytes || currentEvents.length >= this.maxEventsPerRow))
        flush();
      current.push(json);
      currentEvents.push(event);
      size += bytes;
    }
    flush();
    return rows;
  }
}

function eventsOfRow(row: EventRow): EventEnvelope[] {
  const events = JSON.parse(row.events) as EventEnvelope[];
  return events.map((event, index) => ({ ...event, position: row.position + index }));
}

const encoder = new TextEncoder();
function utf8Length(text: string): number {
  // Cheap upper bound first: ASCII-only JSON is the common case.
  return /^[\x00-\x7f]*$/.test(text) ? text.length : encoder.encode(text).length;
}
