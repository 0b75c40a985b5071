import { type Envelope, EventHandler, Projection } from '@escf/core';
import { Deposited, Withdrawn } from '../../../src/domain/index.js';

/** The read model's table (also in this worker's migrations/0001_statement_lines.sql). */
export const STATEMENTS_SCHEMA =
  'CREATE TABLE IF NOT EXISTS statement_lines (account_id TEXT NOT NULL, version INTEGER NOT NULL, kind TEXT NOT NULL, amount INTEGER NOT NULL, currency TEXT, reference TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (account_id, version))';

export interface StatementLine {
  readonly version: number;
  readonly kind: 'deposit' | 'withdrawal';
  /** Signed: negative for withdrawals. */
  readonly amount: number;
  readonly reference: string;
  readonly at: number;
  /** The balance after this line. */
  readonly balance: number;
}

/** Every movement of money, per account, in order; fed by its queue. */
@Projection('statements')
export class StatementsProjection {
  constructor(private readonly env: { STATEMENTS_DB: D1Database }) {}

  private get db() {
    return this.env.STATEMENTS_DB;
  }

  @EventHandler(Deposited)
  onDeposited(e: Envelope<Deposited>) {
    return line(this.db, e, 'deposit', e.payload.amount, e.payload.reference, e.payload.currency);
  }

  @EventHandler(Withdrawn)
  onWithdrawn(e: Envelope<Withdrawn>) {
    return line(this.db, e, 'withdrawal', -e.payload.amount, e.payload.reference, null);
  }

  /** An account's statement, oldest first, with the running balance. */
  async statement(accountId: string): Promise<StatementLine[]> {
    const { results } = await this.db
      .prepare(
        'SELECT version, kind, amount, reference, at FROM statement_lines WHERE account_id = ?1 ORDER BY version',
      )
      .bind(accountId)
      .all<Omit<StatementLine, 'balance'>>();
    let balance = 0;
    return results.map((line) => ({ ...line, balance: (balance += line.amount) }));
  }

  resetReadModel() {
    return this.db.prepare('DELETE FROM statement_lines');
  }
}

/** A helper outside the class: every method of a projection class is an RPC query. */
function line(db: D1Database, e: Envelope, kind: string, amount: number, reference: string, currency: string | null) {
  return db
    .prepare(
      'INSERT INTO statement_lines (account_id, version, kind, amount, currency, reference, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)',
    )
    .bind(e.aggregateId, e.version, kind, amount, currency, reference, e.timestamp);
}
