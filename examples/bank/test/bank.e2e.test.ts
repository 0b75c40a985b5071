// The bank end to end: all five workers in workerd (started from escf.config.ts), driven over HTTP.

import { fileURLToPath } from 'node:url';
import { eventually } from '@escf/testing';
import { type RunningSystem, startSystem } from '@escf/testing/system';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let bank: RunningSystem;
beforeAll(async () => {
  bank = await startSystem(fileURLToPath(new URL('..', import.meta.url)));
});
afterAll(() => bank?.stop());

const json = (body: unknown, key?: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
  body: JSON.stringify(body),
});

async function openAccount(owner: string, deposit: number): Promise<string> {
  const opened = await bank.fetch('/accounts', json({ owner, currency: 'EUR' }));
  expect(opened.status).toBe(201);
  const { id } = (await opened.json()) as { id: string };
  expect((await bank.fetch(`/accounts/${id}/activate`, json({}))).status).toBe(200);
  if (deposit > 0)
    expect(
      (await bank.fetch(`/accounts/${id}/deposits`, json({ amount: deposit, reference: 'opening deposit' }))).status,
    ).toBe(200);
  return id;
}

const balanceOf = async (id: string) =>
  (await (await bank.fetch(`/accounts/${id}`)).json()) as { balance: number; status: string };

describe('the bank over HTTP', () => {
  it('opens, funds and reads an account; refuses bad input and overdrafts with typed errors', async () => {
    const id = await openAccount('Ada', 500);
    expect(await balanceOf(id)).toEqual({ accountId: id, owner: 'Ada', currency: 'EUR', status: 'open', balance: 500 });
    const bad = await bank.fetch(`/accounts/${id}/deposits`, json({ amount: -5, reference: 'x' }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const overdraft = await bank.fetch(`/accounts/${id}/withdrawals`, json({ amount: 501, reference: 'too much' }));
    expect(overdraft.status).toBeGreaterThanOrEqual(400);
    expect(overdraft.status).toBeLessThan(500);
    expect(await overdraft.json()).toMatchObject({ error: { code: 'INSUFFICIENT_FUNDS' } });
    // A retried command with the same Idempotency-Key applies once.
    for (let i = 0; i < 2; i++)
      await bank.fetch(`/accounts/${id}/withdrawals`, json({ amount: 100, reference: 'rent' }, `rent-${id}`));
    expect((await balanceOf(id)).balance).toBe(400);
    const statement = await eventually(
      async () => {
        const lines = (await (await bank.fetch(`/accounts/${id}/statement`)).json()) as Array<{
          amount: number;
          balance: number;
        }>;
        return lines.length === 2 && lines;
      },
      { timeoutMs: 20_000, what: 'the statement (fed by its queue)' },
    );
    expect(statement.map((l) => [l.amount, l.balance])).toEqual([
      [500, 500],
      [-100, 400],
    ]);
  });

  it('transfers money with a saga on Workflows', async () => {
    const from = await openAccount('Ada', 300);
    const to = await openAccount('Grace', 0);
    const requested = await bank.fetch('/transfers', json({ from, to, amount: 120 }, `t-${from}`));
    expect(requested.status).toBe(202);
    const { id } = (await requested.json()) as { id: string };
    const done = await eventually(
      async () => {
        const transfer = (await (await bank.fetch(`/transfers/${id}`)).json()) as { status: string };
        return transfer.status !== 'requested' && transfer;
      },
      { timeoutMs: 40_000, what: 'the transfer to finish' },
    );
    expect(done).toMatchObject({ status: 'completed', from, to, amount: 120 });
    expect((await balanceOf(from)).balance).toBe(180);
    expect((await balanceOf(to)).balance).toBe(120);
  });

  it('compensates the first leg when the second fails (the target is frozen)', async () => {
    const from = await openAccount('Ada', 300);
    const to = await openAccount('Grace', 0);
    expect((await bank.fetch(`/accounts/${to}/freeze`, json({ reason: 'under review' }))).status).toBe(200);
    const { id } = (await (await bank.fetch('/transfers', json({ from, to, amount: 50 }))).json()) as { id: string };
    const failed = await eventually(
      async () => {
        const transfer = (await (await bank.fetch(`/transfers/${id}`)).json()) as { status: string };
        return transfer.status !== 'requested' && transfer;
      },
      { timeoutMs: 40_000, what: 'the transfer to fail' },
    );
    expect(failed).toMatchObject({ status: 'failed', compensated: ['compensate: debit source'] });
    expect((failed as unknown as { reason: string }).reason).toMatch(/frozen/);
    // Debited, then credited back: the balance is whole again.
    expect((await balanceOf(from)).balance).toBe(300);
    expect((await balanceOf(to)).balance).toBe(0);
  });

  it('reports and flags a large withdrawal on the account (a process fed by its queue)', async () => {
    const id = await openAccount('Ada', 50_000);
    await bank.fetch(`/accounts/${id}/withdrawals`, json({ amount: 20_000, reference: 'car' }));
    await bank.waitForLog(new RegExp(`Large withdrawal on ${id}: 20000`), 20_000);
    // …and the process's command recorded the flag on the account (in the shared log).
    const log = await bank.d1('ESCF_EVENTS');
    await eventually(
      async () => {
        const row = await log
          .prepare('SELECT COUNT(*) AS n FROM escf_events WHERE aggregate_id = ?1 AND events LIKE ?2')
          .bind(id, '%LargeWithdrawalFlagged%')
          .first<{ n: number }>();
        return row!.n === 1;
      },
      { timeoutMs: 20_000, what: 'the flag on the account' },
    );
  });

  it('serves its OpenAPI description', async () => {
    const doc = (await (await bank.fetch('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/accounts', '/accounts/{id}/withdrawals', '/transfers', '/transfers/{id}']),
    );
  });
});
