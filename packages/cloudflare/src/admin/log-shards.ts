import { NotFound } from '@escf/core';
import { EVENT_STORE_BINDING } from '@escf/core/internal';
import { EventsTable, type LatestStreamRow } from '../event-store/events-table.js';
import type { ShardLayout } from '../event-store/shard-map.js';

/** The event store's shard databases as the admin worker binds them (see `AdminSystem.eventStoreShards`). */
export interface AdminEventStoreShards {
  /** One D1 binding per shard, in shard order (`ESCF_EVENTS`, `ESCF_EVENTS_1`, …). */
  readonly bindings: readonly string[];
  /** The layout generations, oldest first (as given to `durableObjectFor`); default one generation over every binding. */
  readonly layouts?: readonly ShardLayout[];
}

/** A stream's newest row in one shard. */
export interface ShardStreamRow extends LatestStreamRow {
  readonly shard: number;
}

/**
 * The admin's view of the log's databases: one per shard (one in all when
 * the store is not sharded). Positions are per shard, so every whole-log
 * figure is read from each database and kept per shard.
 */
export class LogShards {
  readonly tables: readonly EventsTable[];

  constructor(env: unknown, shards: AdminEventStoreShards | undefined) {
    const bindings = shards?.bindings ?? [EVENT_STORE_BINDING];
    this.tables = bindings.map((binding) => {
      const db = (env as Record<string, unknown>)[binding] as D1Database | undefined;
      if (!db) throw new NotFound(`The admin worker has no D1 binding '${binding}' (the event store)`);
      return new EventsTable(db);
    });
  }

  get sharded(): boolean {
    return this.tables.length > 1;
  }

  get databases(): D1Database[] {
    return this.tables.map((table) => table.db);
  }

  /** Each shard's last position (0 for an empty shard), by shard number. */
  heads(): Promise<number[]> {
    return Promise.all(this.tables.map((table) => table.logHead()));
  }

  /**
   * Each stream's newest row, newest first, over every shard: each shard
   * answers up to `limit` rows, merged by the time of the stream's last
   * event (positions of different shards are not comparable). One shard:
   * its position order, as before.
   */
  async latestStreams(filter: Parameters<EventsTable['latestStreams']>[0]): Promise<ShardStreamRow[]> {
    const pages = await Promise.all(this.tables.map((table) => table.latestStreams(filter)));
    const rows = pages.flatMap((page, shard) => page.map((row) => ({ ...row, shard })));
    if (!this.sharded) return rows;
    return rows
      .sort((a, b) => (b.last_at ?? -1) - (a.last_at ?? -1) || a.shard - b.shard || b.last_position - a.last_position)
      .slice(0, filter.limit);
  }
}
