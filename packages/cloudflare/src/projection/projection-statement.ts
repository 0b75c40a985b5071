import { DefinitionError, type ProjectionStatement } from '@escf/core';

/**
 * Turns what a handler returned into D1 statements of the projection's
 * database: D1 prepared statements pass through; Drizzle queries (anything
 * with `toSQL()`) are re-prepared from their SQL and parameters, so they
 * can join the checkpoint's batch.
 */
export function toD1Statements(db: D1Database, returned: unknown, where: string): D1PreparedStatement[] {
  if (returned === undefined || returned === null) return [];
  const items = Array.isArray(returned) ? returned : [returned];
  return items.map((item: ProjectionStatement) => {
    if (item && typeof (item as { toSQL?: unknown }).toSQL === 'function') {
      const { sql, params } = (item as { toSQL(): { sql: string; params: unknown[] } }).toSQL();
      return db.prepare(sql).bind(...params.map(toD1Value));
    }
    if (
      item &&
      typeof (item as { bind?: unknown }).bind === 'function' &&
      typeof (item as { run?: unknown }).run === 'function'
    ) {
      return item as unknown as D1PreparedStatement;
    }
    throw new DefinitionError(
      `${where} returned ${typeof item === 'object' ? 'an object' : typeof item} that is not a D1 statement or Drizzle query. Return db.prepare(…).bind(…), a Drizzle query (without awaiting it), an array of them, or nothing.`,
    );
  });
}

/** D1 binds null, numbers, strings, booleans and byte arrays; Drizzle may pass Dates or undefined. */
function toD1Value(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  return value;
}
