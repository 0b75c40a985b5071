// The projection under test: per counter, a total and the versions applied
// in order (to see ordering and duplicates), written with Drizzle on D1.
import { type Envelope, EventHandler, NotFound, Projection } from '@escf/core';
import { asc, eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import {
  Counted,
  type Counted as CountedPayload,
  Measured,
  type Measured as MeasuredPayload,
  Poked,
} from './counter-domain.js';

export const tallies = sqliteTable('tally', {
  id: text('id').primaryKey(),
  total: integer('total').notNull(),
  history: text('history').notNull(),
});

export const TALLY_SCHEMA = [
  'CREATE TABLE IF NOT EXISTS tally (id TEXT PRIMARY KEY, total INTEGER NOT NULL, history TEXT NOT NULL)',
  'CREATE TABLE IF NOT EXISTS poison (id TEXT PRIMARY KEY)',
];

export interface TallyEnv {
  TALLY_DB: D1Database;
}

@Projection('tally')
export class Tally {
  private readonly db;

  constructor(private readonly env: TallyEnv) {
    this.db = drizzle(env.TALLY_DB);
  }

  @EventHandler(Counted)
  onCounted(e: Envelope<CountedPayload>) {
    // Returned, not awaited: ESCF commits it in one batch with the checkpoint.
    return this.db
      .insert(tallies)
      .values({ id: e.aggregateId, total: e.payload.by, history: String(e.version) })
      .onConflictDoUpdate({
        target: tallies.id,
        set: {
          total: sql`${tallies.total} + ${e.payload.by}`,
          history: sql`${tallies.history} || ',' || ${String(e.version)}`,
        },
      });
  }

  @EventHandler(Measured)
  onMeasured(e: Envelope<MeasuredPayload>) {
    // Only ever sees version 3, whatever version the event was stored at.
    if (e.schemaVersion !== 3 || e.payload.unit !== 'm')
      throw new Error(`not read as v3: ${JSON.stringify(e.payload)}`);
    return this.db
      .insert(tallies)
      .values({ id: e.aggregateId, total: e.payload.amount, history: `${e.version}m` })
      .onConflictDoUpdate({
        target: tallies.id,
        set: {
          total: sql`${tallies.total} + ${e.payload.amount}`,
          history: sql`${tallies.history} || ',' || ${`${e.version}m`}`,
        },
      });
  }

  @EventHandler(Poked)
  async onPoked(e: Envelope) {
    const poisoned = await this.env.TALLY_DB.prepare('SELECT 1 FROM poison WHERE id = ?').bind(e.aggregateId).first();
    if (poisoned) throw new Error(`poisoned: ${e.aggregateId}`);
    return this.env.TALLY_DB.prepare(
      `INSERT INTO tally (id, total, history) VALUES (?1, 0, ?2) ON CONFLICT (id) DO UPDATE SET history = history || ',' || ?2`,
    ).bind(e.aggregateId, `${e.version}p`);
  }

  /** One counter's row, or null. */
  async tally(id: string): Promise<{ id: string; total: number; history: string } | null> {
    return (await this.db.select().from(tallies).where(eq(tallies.id, id)).get()) ?? null;
  }

  /** One counter's row; `NOT_FOUND` (with the id in its details) if there is none. */
  async required(id: string): Promise<{ id: string; total: number; history: string }> {
    const row = await this.tally(id);
    if (!row) throw new NotFound(`No tally for ${id}`, { details: { id } });
    return row;
  }

  /** Every row, for comparing a rebuilt model with the live one. */
  async everything(): Promise<Array<{ id: string; total: number; history: string }>> {
    return this.db.select().from(tallies).orderBy(asc(tallies.id)).all();
  }

  resetReadModel() {
    return this.db.delete(tallies);
  }
}
