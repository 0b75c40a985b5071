/**
 * A `D1Database` over Node's built-in SQLite (`node:sqlite`, Node 22+), for
 * tests that run in plain Node: the same SQL engine as D1, the same
 * statement API (`prepare`/`bind`/`first`/`all`/`run`/`raw`, `batch` as one
 * transaction, `exec`). Each call opens a fresh database in memory unless a
 * file path is given. In workerd, use a real D1 binding instead.
 *
 * @example
 * ```ts
 * const db = await sqliteD1Database();
 * await db.prepare('CREATE TABLE t (id TEXT PRIMARY KEY)').run();
 * ```
 */
export async function sqliteD1Database(path = ':memory:'): Promise<D1Database> {
  // Imported lazily (and by a computed name) so that workerd bundles never see it.
  const moduleName = 'node:sqlite';
  const { DatabaseSync } = (await import(/* @vite-ignore */ moduleName)) as {
    DatabaseSync: new (path: string) => SqliteDatabase;
  };
  return new SqliteD1(new DatabaseSync(path)) as unknown as D1Database;
}

interface SqliteStatement {
  all(...params: unknown[]): Array<Record<string, unknown>>;
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
}

class SqliteD1 {
  constructor(readonly sqlite: SqliteDatabase) {}

  prepare(sql: string): SqliteD1Statement {
    return new SqliteD1Statement(this, sql, []);
  }

  async batch(statements: SqliteD1Statement[]): Promise<D1Result[]> {
    this.sqlite.exec('BEGIN');
    try {
      const results = statements.map((statement) => statement.execute());
      this.sqlite.exec('COMMIT');
      return results;
    } catch (error) {
      this.sqlite.exec('ROLLBACK');
      throw error;
    }
  }

  async exec(sql: string): Promise<{ count: number; duration: number }> {
    this.sqlite.exec(sql);
    return { count: sql.split(';').filter((s) => s.trim()).length, duration: 0 };
  }

  withSession(): this {
    return this;
  }

  async dump(): Promise<ArrayBuffer> {
    throw new Error('sqliteD1Database: dump() is not supported');
  }
}

class SqliteD1Statement {
  constructor(
    private readonly db: SqliteD1,
    private readonly sql: string,
    private readonly params: unknown[],
  ) {}

  bind(...values: unknown[]): SqliteD1Statement {
    return new SqliteD1Statement(this.db, this.sql, values.map(toSqliteValue));
  }

  /** Runs the statement and returns D1's result shape. */
  execute(): D1Result {
    const results = this.db.sqlite
      .prepare(this.sql)
      .all(...this.params)
      .map((row) => ({ ...row }));
    const { changes, last_row_id } = this.db.sqlite
      .prepare('SELECT changes() AS changes, last_insert_rowid() AS last_row_id')
      .all()[0] as {
      changes: number;
      last_row_id: number;
    };
    return {
      success: true,
      results,
      meta: {
        changes,
        last_row_id,
        duration: 0,
        rows_read: results.length,
        rows_written: changes,
        changed_db: changes > 0,
        size_after: 0,
        served_by: 'node:sqlite',
      },
    } as unknown as D1Result;
  }

  async run(): Promise<D1Result> {
    return this.execute();
  }

  async all<T = Record<string, unknown>>(): Promise<D1Result<T>> {
    return this.execute() as D1Result<T>;
  }

  async first<T = Record<string, unknown>>(column?: string): Promise<T | null> {
    const row = this.execute().results[0] as Record<string, unknown> | undefined;
    if (!row) return null;
    return (column === undefined ? row : row[column]) as T;
  }

  async raw<T = unknown[]>(options?: { columnNames?: boolean }): Promise<T[]> {
    const rows = this.execute().results as Array<Record<string, unknown>>;
    const values = rows.map((row) => Object.values(row)) as T[];
    return options?.columnNames && rows[0] ? [Object.keys(rows[0]) as T, ...values] : values;
  }
}

/** D1's value rules: booleans become 0/1; undefined is an error, as on D1. */
function toSqliteValue(value: unknown): unknown {
  if (value === undefined) throw new TypeError("D1_TYPE_ERROR: Type 'undefined' not supported for value 'undefined'");
  if (typeof value === 'boolean') return value ? 1n : 0n;
  // node:sqlite binds every number as REAL; D1 binds whole numbers as INTEGER.
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return value;
}
