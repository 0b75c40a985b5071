import type { CommandMetricsSnapshot } from '@escf/core/internal';
import type { OutboxBacklog } from '../admin/outbox-backlog.js';

/**
 * The shared D1 table every aggregate instance folds its metrics into: one
 * row per instance (its command counts and outbox backlog as JSON), keyed by
 * the instance's address — `WITHOUT ROWID`, so an upsert writes one row.
 * It lives in the event store's D1 database (`ESCF_EVENTS`), which the
 * aggregate hosts and the admin entrypoint both have.
 */
export const METRICS_ROLLUP_TABLE = 'escf_metrics_rollup';

const CREATE_ROLLUP_TABLE = `CREATE TABLE IF NOT EXISTS ${METRICS_ROLLUP_TABLE} (
  aggregate_type TEXT NOT NULL,
  aggregate_id TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  commands TEXT NOT NULL,
  outbox TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (aggregate_type, aggregate_id, tenant_id)
) WITHOUT ROWID`;

/** One instance's row in the rollup. */
export interface RolledUpInstance {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly tenantId?: string;
  readonly commands: CommandMetricsSnapshot;
  readonly outbox: OutboxBacklog;
  /** When the instance wrote the row (ms since the epoch). */
  readonly updatedAt: number;
}

/**
 * Writes one instance's row: one D1 upsert (the table is created by the
 * instance's first write, in the same batch).
 */
export async function rollUpInstance(db: D1Database, row: RolledUpInstance, createTable: boolean): Promise<void> {
  const upsert = db
    .prepare(
      `INSERT INTO ${METRICS_ROLLUP_TABLE} (aggregate_type, aggregate_id, tenant_id, commands, outbox, updated_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (aggregate_type, aggregate_id, tenant_id)
       DO UPDATE SET commands = excluded.commands, outbox = excluded.outbox, updated_at = excluded.updated_at`,
    )
    .bind(
      row.aggregateType,
      row.aggregateId,
      row.tenantId ?? '',
      JSON.stringify(row.commands),
      JSON.stringify(row.outbox),
      row.updatedAt,
    );
  if (createTable) await db.batch([db.prepare(CREATE_ROLLUP_TABLE), upsert]);
  else await upsert.run();
}

/** Rows read per D1 query while reading the whole rollup. */
const PAGE = 1_000;

/**
 * Every instance's row, in pages of 1,000 in key order (an empty list while
 * no instance has written one). Reads one D1 row per instance.
 */
export async function readRollup(db: D1Database): Promise<RolledUpInstance[]> {
  const rows: RolledUpInstance[] = [];
  let after: [string, string, string] | null = null;
  for (;;) {
    let page: D1Result<RollupRow>;
    try {
      page = await (after === null
        ? db.prepare(`SELECT * FROM ${METRICS_ROLLUP_TABLE} ORDER BY 1, 2, 3 LIMIT ?`).bind(PAGE)
        : db
            .prepare(
              `SELECT * FROM ${METRICS_ROLLUP_TABLE} WHERE (aggregate_type, aggregate_id, tenant_id) > (?, ?, ?) ORDER BY 1, 2, 3 LIMIT ?`,
            )
            .bind(...after, PAGE)
      ).all<RollupRow>();
    } catch (error) {
      if (String(error).includes('no such table')) return rows; // no instance has rolled up yet
      throw error;
    }
    for (const row of page.results) {
      rows.push({
        aggregateType: row.aggregate_type,
        aggregateId: row.aggregate_id,
        ...(row.tenant_id === '' ? {} : { tenantId: row.tenant_id }),
        commands: JSON.parse(row.commands) as CommandMetricsSnapshot,
        outbox: JSON.parse(row.outbox) as OutboxBacklog,
        updatedAt: row.updated_at,
      });
    }
    if (page.results.length < PAGE) return rows;
    const last = page.results.at(-1)!;
    after = [last.aggregate_type, last.aggregate_id, last.tenant_id];
  }
}

interface RollupRow {
  aggregate_type: string;
  aggregate_id: string;
  tenant_id: string;
  commands: string;
  outbox: string;
  updated_at: number;
}
