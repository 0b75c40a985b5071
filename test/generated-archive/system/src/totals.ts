import { type Envelope, EventHandler, Projection } from '@escf/core';
import { Deposited } from './ledger.js';

/** Balance and deposit count per ledger (table `totals`, migrations/0001_totals.sql). */
@Projection('totals')
export class LedgerTotals {
  constructor(private readonly env: { TOTALS_DB: D1Database }) {}

  @EventHandler(Deposited)
  onDeposited(e: Envelope<Deposited>) {
    // Returned, not run: ESCF commits it in one batch with the checkpoint.
    return this.env.TOTALS_DB.prepare(
      'INSERT INTO totals (id, balance, entries) VALUES (?1, ?2, 1) ON CONFLICT (id) DO UPDATE SET balance = balance + ?2, entries = entries + 1',
    ).bind(e.aggregateId, e.payload.amount);
  }

  /** A rebuild empties the read model first. */
  resetReadModel() {
    return [this.env.TOTALS_DB.prepare('DELETE FROM totals')];
  }

  async balance(id: string): Promise<{ balance: number; entries: number } | null> {
    return this.env.TOTALS_DB.prepare('SELECT balance, entries FROM totals WHERE id = ?1')
      .bind(id)
      .first<{ balance: number; entries: number }>();
  }
}
