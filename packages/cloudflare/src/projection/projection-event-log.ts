import { DefinitionError, EscfError } from '@escf/core';
import { EVENT_STORE_BINDING, EVENT_STORE_TABLE, log } from '@escf/core/internal';
import type { EventStore } from '@escf/core/store';
import { D1EventStore } from '../event-store/d1-event-store.js';
import { assertTableName } from '../event-store/d1-migration.js';
import { EventsTable } from '../event-store/events-table.js';
import { messageOf } from './projection-errors.js';
import type { ProjectionSettings } from './projection-settings.js';

/** Where a projection reads the D1 event log: the same settings as `durableObjectFor`'s `eventStore`. */
export interface EventLogSettings {
  /** The D1 binding of the event store; default `ESCF_EVENTS`. */
  readonly binding?: string;
  /** Its events table; default `escf_events`. */
  readonly table?: string;
}

/**
 * Reading the event log's head failed for a reason other than a missing
 * binding (a wrong table name, D1 unavailable…). Code
 * `EVENT_LOG_UNAVAILABLE`; the rebuild that asked is not started.
 */
export class EventLogUnavailableError extends EscfError {
  override readonly name = 'EventLogUnavailableError';
  readonly code = 'EVENT_LOG_UNAVAILABLE';
  constructor(projection: string, binding: string, table: string, cause: unknown) {
    super(
      `Projection '${projection}' cannot read the event log's head from table '${table}' of D1 binding '${binding}': ${messageOf(cause)}. Pass the event store's binding and table as projectionEntrypoint(…, { eventStore: { binding, table } }), the same as durableObjectFor's.`,
      { details: { projection, binding, table }, cause },
    );
  }
}

/** The D1 event log of one projection worker, as configured. */
export class ProjectionEventLog {
  readonly binding: string;
  readonly table: string;

  constructor(
    private readonly projection: string,
    settings: EventLogSettings = {},
  ) {
    this.binding = settings.binding ?? EVENT_STORE_BINDING;
    this.table = settings.table ?? EVENT_STORE_TABLE;
    assertTableName(this.table);
  }

  /** The event store over the configured binding and table. */
  store(env: object): D1EventStore {
    const db = (env as Record<string, unknown>)[this.binding] as D1Database | undefined;
    if (!db)
      throw new DefinitionError(
        `Projection '${this.projection}' needs the D1 binding '${this.binding}' (the event store) to fill gaps and rebuild.`,
      );
    return new D1EventStore(db, { table: this.table });
  }

  /** The log's last global position, or `null` when it cannot be read (a store of another layout). */
  async headIfReadable(env: object): Promise<number | null> {
    const db = (env as Record<string, unknown>)[this.binding] as D1Database | undefined;
    if (!db) return null;
    return new EventsTable(db, this.table).logHead().catch(() => null);
  }

  /**
   * The log's last global position, the target of a rebuild's progress;
   * `null` when the worker has no event-store binding. A failing read is an
   * {@link EventLogUnavailableError}, logged here once and thrown.
   */
  async head(env: object): Promise<number | null> {
    const db = (env as Record<string, unknown>)[this.binding] as D1Database | undefined;
    if (!db) return null;
    try {
      return await new EventsTable(db, this.table).logHead();
    } catch (cause) {
      const error = new EventLogUnavailableError(this.projection, this.binding, this.table, cause);
      log({
        level: 'error',
        message: 'projection cannot read the event log head',
        code: error.code,
        projection: this.projection,
        binding: this.binding,
        table: this.table,
        error,
      });
      throw error;
    }
  }
}

/** Where a projection reads the log from (to fill gaps, retry and rebuild): a factory option, else the configured D1 event store. */
export function projectionEventStore<Env>(settings: ProjectionSettings<Env>, env: Env): EventStore {
  const option = settings.options.eventStore;
  if (typeof option === 'function') return option(env);
  return settings.eventLog.store(env as object);
}

/** The log's last global position, for rebuild progress: the option, else a read of the configured D1 event store. */
export function projectionLogHead<Env>(settings: ProjectionSettings<Env>, env: Env): () => Promise<number | null> {
  const { logHead, eventStore } = settings.options;
  if (logHead) return () => logHead(env);
  // Another store: its head is read from the default D1 log when there is one, else progress has no target.
  if (typeof eventStore === 'function') return () => settings.eventLog.headIfReadable(env as object);
  return () => settings.eventLog.head(env as object);
}
