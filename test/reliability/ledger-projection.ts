// The read model the reliability suite checks exactly-once against: per
// (tenant, account), the total deposited and the versions applied, in order.
// It serves every tenant, so every row is keyed by the event's tenant.
import { type Envelope, EventHandler, Projection } from '@escf/core';
import { Deposited, Opened, Poked } from './account-domain.js';

export const LEDGER_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS ledger (
     tenant TEXT NOT NULL, account TEXT NOT NULL, owner TEXT, total INTEGER NOT NULL DEFAULT 0, history TEXT NOT NULL DEFAULT '',
     PRIMARY KEY (tenant, account))`,
];

/** One account's row in the read model. */
export interface LedgerRow {
  readonly tenant: string;
  readonly account: string;
  readonly owner: string | null;
  readonly total: number;
  /** Applied versions, comma-separated, in the order they were applied. */
  readonly history: string;
}

export interface LedgerEnv {
  LEDGER_DB: D1Database;
}

/** The tenant of an event ('' for single-tenant use): read models shared by tenants must key by it. */
function tenantOf(e: Envelope): string {
  return e.metadata.tenantId ?? '';
}

const UPSERT = `INSERT INTO ledger (tenant, account, owner, total, history) VALUES (?1, ?2, ?3, ?4, ?5)
  ON CONFLICT (tenant, account) DO UPDATE SET owner = COALESCE(excluded.owner, owner), total = total + excluded.total,
  history = CASE history WHEN '' THEN excluded.history ELSE history || ',' || excluded.history END`;

@Projection('ledger')
export class Ledger {
  constructor(private readonly env: LedgerEnv) {}

  @EventHandler(Opened)
  onOpened(e: Envelope<{ owner: string }>) {
    return this.row(e, e.payload.owner, 0);
  }

  @EventHandler(Deposited)
  onDeposited(e: Envelope<{ amount: number }>) {
    return this.row(e, null, e.payload.amount);
  }

  @EventHandler(Poked)
  onPoked(e: Envelope) {
    if (e.aggregateId.startsWith('poison-')) throw new Error(`poisoned account ${e.aggregateId}`);
    return this.row(e, null, 0);
  }

  /** One account of one tenant, or null: a caller can only name its own tenant's rows. */
  async account(tenant: string, account: string): Promise<LedgerRow | null> {
    return this.env.LEDGER_DB.prepare(
      'SELECT tenant, account, owner, total, history FROM ledger WHERE tenant = ? AND account = ?',
    )
      .bind(tenant, account)
      .first<LedgerRow>();
  }

  /** Every row whose account id starts with `prefix` (tests use a prefix per run). */
  async rows(prefix: string): Promise<LedgerRow[]> {
    const { results } = await this.env.LEDGER_DB.prepare(
      'SELECT tenant, account, owner, total, history FROM ledger WHERE substr(account, 1, length(?1)) = ?1 ORDER BY tenant, account',
    )
      .bind(prefix)
      .all<LedgerRow>();
    return results;
  }

  resetReadModel() {
    return this.env.LEDGER_DB.prepare('DELETE FROM ledger');
  }

  private row(e: Envelope, owner: string | null, amount: number): D1PreparedStatement {
    return this.env.LEDGER_DB.prepare(UPSERT).bind(tenantOf(e), e.aggregateId, owner, amount, String(e.version));
  }
}
