/**
 * Which of a blue/green projection's two databases queries and live
 * deliveries use. One row per projection, kept in the primary database (the
 * `database` binding) whichever database is active:
 *
 * - `active`: `'primary'` or `'standby'` — roles, not binding names, so
 *   renaming a binding does not lose the record;
 * - `rebuilding`: the role a running rebuild fills, or NULL;
 * - `ticket`: raised by every rebuild start and used as that rebuild's
 *   generation, so only the latest rebuild can switch the active database.
 *
 * No row means the primary is active (every projection starts that way).
 */
const ACTIVE_DATABASE_SCHEMA = `CREATE TABLE IF NOT EXISTS escf_projection_active (
  projection TEXT PRIMARY KEY,
  active TEXT NOT NULL,
  rebuilding TEXT,
  ticket INTEGER NOT NULL,
  switched_at INTEGER
)`;

/** One of the two databases of a blue/green projection. */
export type DatabaseRole = 'primary' | 'standby';

/** The record of which database is active, and which one a running rebuild fills. */
export interface ActiveDatabase {
  readonly active: DatabaseRole;
  readonly rebuilding: DatabaseRole | null;
  readonly ticket: number;
}

const ensured = new WeakSet<D1Database>();

async function ensureActiveDatabaseSchema(db: D1Database): Promise<void> {
  if (ensured.has(db)) return;
  await db.prepare(ACTIVE_DATABASE_SCHEMA).run();
  ensured.add(db);
}

/** Reads the record from the primary database. */
export async function readActiveDatabase(primary: D1Database, projection: string): Promise<ActiveDatabase> {
  await ensureActiveDatabaseSchema(primary);
  const row = await primary
    .prepare('SELECT active, rebuilding, ticket FROM escf_projection_active WHERE projection = ?1')
    .bind(projection)
    .first<{ active: DatabaseRole; rebuilding: DatabaseRole | null; ticket: number }>();
  return row ?? { active: 'primary', rebuilding: null, ticket: 0 };
}

/**
 * Starts a rebuild into the inactive database: records it as `rebuilding`
 * and raises the ticket, in one statement (so a concurrent switch cannot
 * make it pick the active one). Returns the target and the new ticket.
 */
export async function beginRebuild(
  primary: D1Database,
  projection: string,
): Promise<{ target: DatabaseRole; ticket: number }> {
  await ensureActiveDatabaseSchema(primary);
  const row = await primary
    .prepare(
      `INSERT INTO escf_projection_active (projection, active, rebuilding, ticket) VALUES (?1, 'primary', 'standby', 1)
       ON CONFLICT (projection) DO UPDATE SET
         rebuilding = CASE escf_projection_active.active WHEN 'primary' THEN 'standby' ELSE 'primary' END,
         ticket = escf_projection_active.ticket + 1
       RETURNING rebuilding, ticket`,
    )
    .bind(projection)
    .first<{ rebuilding: DatabaseRole; ticket: number }>();
  return { target: row!.rebuilding, ticket: row!.ticket };
}

/**
 * Makes `target` the active database, if the rebuild holding `ticket` is
 * still the latest one. True when `target` is active afterwards (also when
 * an earlier attempt of the same step already switched); false when a newer
 * rebuild has started, which then owns the switch.
 */
export async function switchActiveDatabase(
  primary: D1Database,
  projection: string,
  target: DatabaseRole,
  ticket: number,
): Promise<boolean> {
  await ensureActiveDatabaseSchema(primary);
  const result = await primary
    .prepare(
      `UPDATE escf_projection_active SET active = ?2, rebuilding = NULL, switched_at = ?4
       WHERE projection = ?1 AND ticket = ?3 AND (rebuilding = ?2 OR (rebuilding IS NULL AND active = ?2))`,
    )
    .bind(projection, target, ticket, Date.now())
    .run();
  return result.meta.changes === 1;
}
