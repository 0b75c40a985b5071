/**
 * Where a reactor (projection or process) keeps its stuck streams: a table
 * with one row per (reactor, stream), declared in its schema file
 * (`migrations/0000_escf_*.sql`; both files give it the same columns).
 * Both names are constants of the runtime, never user input.
 */
export interface FailureTable {
  readonly table: string;
  /** The column holding the reactor's name (`projection`, `process`). */
  readonly owner: string;
}
