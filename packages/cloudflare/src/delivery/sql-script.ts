/** Splits a multi-statement SQL script, keeping `BEGIN … END;` trigger bodies whole; comment lines are dropped. */
export function splitStatements(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  for (const line of script.split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('--')) continue;
    current += `${line}\n`;
    const inTrigger = /CREATE TRIGGER/i.test(current) && !/\bEND;\s*$/i.test(current.trim());
    if (current.trim().endsWith(';') && !inTrigger) {
      statements.push(current.trim().replace(/;$/, ''));
      current = '';
    }
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}

const applied = new WeakMap<D1Database, Set<string>>();

/**
 * Applies a shipped schema script (one of `migrations/*.sql`, embedded) to a
 * D1 database in one batch, once per database per isolate. The scripts use
 * `CREATE … IF NOT EXISTS` only, so racing isolates and databases that
 * already ran the same file as a migration are unaffected.
 */
export async function applySchemaScript(db: D1Database, script: string): Promise<void> {
  const done = applied.get(db) ?? new Set<string>();
  if (done.has(script)) return;
  await db.batch(splitStatements(script).map((statement) => db.prepare(statement)));
  done.add(script);
  applied.set(db, done);
}
