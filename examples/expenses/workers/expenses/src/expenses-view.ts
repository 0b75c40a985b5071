import { type Envelope, EventHandler, Projection } from '@escf/core';
import { ExpenseConfirmed, ExpenseNeedsReview, ExpenseRecorded } from '../../../src/domain/index.js';

/** The view's table (also in this worker's migrations/0001_expenses.sql). */
export const EXPENSES_SCHEMA =
  'CREATE TABLE IF NOT EXISTS expenses (expense_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, month TEXT, status TEXT NOT NULL, amount INTEGER, currency TEXT, merchant TEXT, date TEXT, reason TEXT)';

export interface ExpenseRow {
  readonly expenseId: string;
  readonly status: 'recorded' | 'needs-review';
  readonly amount: number | null;
  readonly currency: string | null;
  readonly merchant: string | null;
  readonly date: string | null;
  readonly reason: string | null;
}

/** Seed 002's view: expenses per user and month (those under review have no month until confirmed). */
@Projection('expenses')
export class ExpensesView {
  constructor(private readonly env: { EXPENSES_DB: D1Database }) {}

  @EventHandler(ExpenseRecorded)
  onRecorded(e: Envelope<ExpenseRecorded>) {
    const p = e.payload;
    return this.env.EXPENSES_DB.prepare(
      `INSERT INTO expenses (expense_id, user_id, month, status, amount, currency, merchant, date) VALUES (?1, ?2, ?3, 'recorded', ?4, ?5, ?6, ?7)`,
    ).bind(e.aggregateId, p.userId, p.date.slice(0, 7), p.amount, p.currency, p.merchant, p.date);
  }

  @EventHandler(ExpenseNeedsReview)
  onNeedsReview(e: Envelope<ExpenseNeedsReview>) {
    const p = e.payload;
    return this.env.EXPENSES_DB.prepare(
      `INSERT INTO expenses (expense_id, user_id, month, status, amount, currency, merchant, date, reason) VALUES (?1, ?2, ?3, 'needs-review', ?4, ?5, ?6, ?7, ?8)`,
    ).bind(
      e.aggregateId,
      p.userId,
      p.date?.slice(0, 7) ?? null,
      p.amount ?? null,
      p.currency ?? null,
      p.merchant ?? null,
      p.date ?? null,
      p.reason,
    );
  }

  @EventHandler(ExpenseConfirmed)
  onConfirmed(e: Envelope<ExpenseConfirmed>) {
    const p = e.payload;
    return this.env.EXPENSES_DB.prepare(
      `UPDATE expenses SET status = 'recorded', month = ?2, amount = ?3, currency = ?4, merchant = ?5, date = ?6, reason = NULL WHERE expense_id = ?1`,
    ).bind(e.aggregateId, p.date.slice(0, 7), p.amount, p.currency, p.merchant, p.date);
  }

  /** A user's expenses, newest first: of one month (`2026-11`), or all of them. */
  async forUser(userId: string, month?: string): Promise<ExpenseRow[]> {
    const { results } = await this.env.EXPENSES_DB.prepare(
      `SELECT expense_id AS expenseId, status, amount, currency, merchant, date, reason FROM expenses
       WHERE user_id = ?1 AND (?2 IS NULL OR month = ?2) ORDER BY date DESC, expense_id`,
    )
      .bind(userId, month ?? null)
      .all<ExpenseRow>();
    return results;
  }

  resetReadModel() {
    return this.env.EXPENSES_DB.prepare('DELETE FROM expenses');
  }
}
