// Self-contained (no imports): `escf generate` evaluates the schema modules that use it.

/**
 * Where a reactor (projection or process) keeps its stuck streams: a table
 * with one row per (reactor, stream) and the columns of {@link failureTableSql}.
 * Both names are constants of the runtime, never user input.
 */
export interface FailureTable {
  readonly table: string;
  /** The column holding the reactor's name (`projection`, `process`). */
  readonly owner: string;
}

/** The DDL of a failure table (one shape for projections and processes). */
export function failureTableSql({ table, owner }: FailureTable): string {
  return `CREATE TABLE IF NOT EXISTS ${table} (
  ${owner} TEXT NOT NULL,
  stream TEXT NOT NULL,
  version INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  error TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  dead_lettered INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (${owner}, stream)
) WITHOUT ROWID`;
}
