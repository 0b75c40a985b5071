import { ConcurrencyError, type EventEnvelope, InternalError } from '@escf/core';
import { EVENT_STORE_TABLE, streamKey } from '@escf/core/internal';
import {
  type AppendOptions,
  type AppendResult,
  assertStreamNumbering,
  type EventStore,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StreamId,
} from '@escf/core/store';
import { type EventsRow, EventsTable, type RowToAppend } from './events-table.js';

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
  private readonly table: EventsTable;
  private readonly maxRowBytes: number;
  private readonly maxEventsPerRow: number;

  constructor(db: D1Database, options: D1EventStoreOptions = {}) {
    this.table = new EventsTable(db, options.table ?? EVENT_STORE_TABLE);
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
    const results = await this.table.streamRows(stream, from, options.limit ?? -1);
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
      const results = await this.table.rowsFrom(next, pageSize);
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
    return this.table.headVersion(stream);
  }

  /** The log's last position in D1 (0 while it is empty). */
  headPosition(): Promise<number> {
    return this.table.logHead();
  }

  /**
   * Inserts the events as one or more rows in one D1 batch (a transaction),
   * guarded by `expectedVersion` inside the insert (see
   * {@link EventsTable.appendRows}): a stale, conflicting or repeated append
   * inserts nothing. Returns each event's position, or `null`.
   */
  private async insert(
    stream: StreamId,
    events: readonly EventEnvelope[],
    expectedVersion: number,
  ): Promise<number[] | null> {
    const rows = this.chunk(events);
    const positions = await this.table.appendRows(
      stream,
      rows.map(
        (row): RowToAppend => ({
          firstVersion: row.firstVersion,
          eventCount: row.events.length,
          json: row.json,
          firstEventId: row.events[0]!.id,
        }),
      ),
      expectedVersion,
      (cost) => {
        this.stats.rowsWritten += cost.rowsWritten;
        this.stats.rowsRead += cost.rowsRead;
        this.stats.statements += 1;
      },
    );
    return positions && rows.flatMap((row, index) => row.events.map((_, offset) => positions[index]! + offset));
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

function eventsOfRow(row: EventsRow): EventEnvelope[] {
  const events = JSON.parse(row.events) as EventEnvelope[];
  return events.map((event, index) => ({ ...event, position: row.position + index }));
}

const encoder = new TextEncoder();
function utf8Length(text: string): number {
  // Cheap upper bound first: ASCII-only JSON is the common case.
  return /^[\x00-\x7f]*$/.test(text) ? text.length : encoder.encode(text).length;
}
