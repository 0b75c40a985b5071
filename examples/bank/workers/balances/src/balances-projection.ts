import { type Envelope, EventHandler, Projection } from '@escf/core';
import {
  AccountActivated,
  AccountClosed,
  AccountFrozen,
  AccountOpened,
  AccountUnfrozen,
  Deposited,
  Withdrawn,
} from '../../../src/domain/index.js';

/** The read model's table (also in this worker's migrations/0001_balances.sql). */
export const BALANCES_SCHEMA =
  'CREATE TABLE IF NOT EXISTS balances (account_id TEXT PRIMARY KEY, owner TEXT NOT NULL, currency TEXT NOT NULL, status TEXT NOT NULL, balance INTEGER NOT NULL)';

export interface Balance {
  readonly accountId: string;
  readonly owner: string;
  readonly currency: string;
  readonly status: string;
  readonly balance: number;
}

/** One row per account: its status and balance. Delivered synchronously, so the API reads its own writes. */
@Projection('balances')
export class BalancesProjection {
  constructor(private readonly env: { BALANCES_DB: D1Database }) {}

  private get db(): D1Database {
    return this.env.BALANCES_DB;
  }

  @EventHandler(AccountOpened)
  onOpened(e: Envelope<AccountOpened>) {
    return this.db
      .prepare(`INSERT INTO balances (account_id, owner, currency, status, balance) VALUES (?1, ?2, ?3, 'pending', 0)`)
      .bind(e.aggregateId, e.payload.owner, e.payload.currency);
  }

  @EventHandler(AccountActivated)
  onActivated(e: Envelope) {
    return setStatus(this.db, e.aggregateId, 'open');
  }

  @EventHandler(AccountFrozen)
  onFrozen(e: Envelope<AccountFrozen>) {
    return setStatus(this.db, e.aggregateId, 'frozen');
  }

  @EventHandler(AccountUnfrozen)
  onUnfrozen(e: Envelope) {
    return setStatus(this.db, e.aggregateId, 'open');
  }

  @EventHandler(AccountClosed)
  onClosed(e: Envelope) {
    return setStatus(this.db, e.aggregateId, 'closed');
  }

  @EventHandler(Deposited)
  onDeposited(e: Envelope<Deposited>) {
    return this.db
      .prepare('UPDATE balances SET balance = balance + ?2 WHERE account_id = ?1')
      .bind(e.aggregateId, e.payload.amount);
  }

  @EventHandler(Withdrawn)
  onWithdrawn(e: Envelope<Withdrawn>) {
    return this.db
      .prepare('UPDATE balances SET balance = balance - ?2 WHERE account_id = ?1')
      .bind(e.aggregateId, e.payload.amount);
  }

  /** One account's balance, or null. */
  async balance(accountId: string): Promise<Balance | null> {
    const row = await this.db
      .prepare('SELECT account_id, owner, currency, status, balance FROM balances WHERE account_id = ?1')
      .bind(accountId)
      .first<{ account_id: string; owner: string; currency: string; status: string; balance: number }>();
    return (
      row && {
        accountId: row.account_id,
        owner: row.owner,
        currency: row.currency,
        status: row.status,
        balance: row.balance,
      }
    );
  }

  resetReadModel() {
    return this.db.prepare('DELETE FROM balances');
  }
}

/** A helper outside the class: every method of a projection class is an RPC query. */
function setStatus(db: D1Database, accountId: string, status: string) {
  return db.prepare('UPDATE balances SET status = ?2 WHERE account_id = ?1').bind(accountId, status);
}
