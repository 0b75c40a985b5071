// The bank's domain, projections, processes and saga, in plain Node with @escf/testing.
import { runSaga } from '@escf/cloudflare/delivery';
import {
  InMemoryAggregates,
  inStream,
  processScenario,
  projectionScenario,
  scenario,
  TestWorkflowStep,
} from '@escf/testing';
import { describe, expect, it, vi } from 'vitest';
import {
  Account,
  AccountActivated,
  AccountFrozen,
  AccountOpened,
  Deposited,
  TransferRequested,
  Withdrawn,
} from '../src/domain/index.js';
import { BALANCES_SCHEMA, BalancesProjection } from '../workers/balances/src/balances-projection.js';
import { LargeWithdrawalsProcess } from '../workers/large-withdrawals/src/large-withdrawals-process.js';
import { STATEMENTS_SCHEMA, StatementsProjection } from '../workers/statements/src/statements-projection.js';
import { type AccountLegs, moveMoney } from '../workers/transfers/src/move-money.js';
import { TransfersProcess } from '../workers/transfers/src/transfers-process.js';

const opened = new AccountOpened({ owner: 'Ada', currency: 'EUR' });
const open = [opened, new AccountActivated({})] as const;
const account = scenario(Account, 'acc-1');

describe('Account: state as a union, invariants in the commands', () => {
  it('opens pending, and moves no money until activated', async () => {
    await account
      .given()
      .when('open', { owner: 'Ada', currency: 'EUR' })
      .thenState({ status: 'pending', owner: 'Ada', currency: 'EUR' });
    await account.given(opened).when('deposit', { amount: 5, reference: 'x' }).thenError('ACCOUNT_NOT_OPEN');
    await account
      .given(...open)
      .when('deposit', { amount: 5, reference: 'x' })
      .thenEvents(new Deposited({ amount: 5, currency: 'EUR', reference: 'x' }));
  });

  it('never overdraws, refuses money on a frozen account, closes only at zero', async () => {
    const funded = [...open, new Deposited({ amount: 100, currency: 'EUR', reference: 'pay' })];
    await account
      .given(...funded)
      .when('withdraw', { amount: 101, reference: 'x' })
      .thenError('INSUFFICIENT_FUNDS');
    await account
      .given(...funded)
      .when('withdraw', { amount: 100, reference: 'x' })
      .thenState({ status: 'open', owner: 'Ada', currency: 'EUR', balance: 0, flags: 0 });
    await account
      .given(...funded, new AccountFrozen({ reason: 'review' }))
      .when('withdraw', { amount: 1, reference: 'x' })
      .thenError('ACCOUNT_NOT_OPEN');
    await account
      .given(...funded)
      .when('close', {})
      .thenError('BALANCE_NOT_ZERO');
    await account.given().when('withdraw', { amount: 1, reference: 'x' }).thenError('NOT_FOUND');
    await account.given().when('deposit', { amount: 0, reference: 'x' }).thenError('VALIDATION_FAILED');
  });

  it('reads v1 deposits (no currency) in the currency of the account they belong to', async () => {
    await account
      .givenStored(new AccountOpened({ owner: 'Ada', currency: 'CHF' }), new AccountActivated({}), {
        type: 'Deposited',
        schemaVersion: 1,
        payload: { amount: 40, reference: 'old' },
      })
      .when('withdraw', { amount: 10, reference: 'x' })
      .thenState({ status: 'open', owner: 'Ada', currency: 'CHF', balance: 30, flags: 0 });
  });
});

describe('projections', () => {
  it('balances: status and balance per account (idempotent, rebuild = live)', async () => {
    await projectionScenario(BalancesProjection, { schema: BALANCES_SCHEMA })
      .given(
        inStream(
          Account,
          'a1',
          ...open,
          new Deposited({ amount: 70, currency: 'EUR', reference: 'pay' }),
          new Withdrawn({ amount: 20, reference: 'rent' }),
        ),
        inStream(Account, 'a2', opened),
      )
      .thenQuery('balance', ['a1'], { accountId: 'a1', owner: 'Ada', currency: 'EUR', status: 'open', balance: 50 });
  });

  it('statements: every movement with the running balance, v1 deposits included', async () => {
    await projectionScenario(StatementsProjection, { schema: STATEMENTS_SCHEMA })
      .given(
        inStream(
          Account,
          'a1',
          ...open,
          { type: 'Deposited', schemaVersion: 1, payload: { amount: 30, reference: 'old' } },
          new Withdrawn({ amount: 5, reference: 'coffee' }),
        ),
      )
      .then(async ({ projection, rows }) => {
        expect((await projection.statement('a1')).map((l) => [l.kind, l.amount, l.balance])).toEqual([
          ['deposit', 30, 30],
          ['withdrawal', -5, 25],
        ]);
        // The lens gave the v1 deposit its account's currency.
        expect(rows.statement_lines!.find((r) => r.version === 3)).toMatchObject({ currency: 'EUR' });
      });
  });
});

describe('processes', () => {
  it('flags a large withdrawal once: a report and an idempotent command', async () => {
    const report = vi.fn(async () => {});
    await processScenario(LargeWithdrawalsProcess, { effects: { report }, ordering: 'stream' })
      .when(
        inStream(
          Account,
          'a1',
          ...open,
          new Withdrawn({ amount: 50, reference: 'small' }),
          new Withdrawn({ amount: 25_000, reference: 'car' }),
        ),
      )
      .thenCommands({ aggregateId: 'a1', command: 'flagLargeWithdrawal', input: { amount: 25_000, reference: 'car' } });
    expect(report).toHaveBeenCalledOnce();
  });

  it('starts one saga per requested transfer, under an id derived from the event', async () => {
    const startSaga = vi.fn(async () => {});
    const { events } = await processScenario(TransfersProcess, { effects: { startSaga } })
      .when(inStream('Transfer', 't1', new TransferRequested({ from: 'a1', to: 'a2', amount: 5 })))
      .thenEffects({
        name: 'startSaga',
        args: [expect.stringMatching(/^transfers-/), { transferId: 't1', from: 'a1', to: 'a2', amount: 5 }],
      });
    expect(startSaga).toHaveBeenCalledWith(`transfers-${events[0]!.id}`, expect.anything());
  });
});

describe('the transfer saga', () => {
  async function bankWith(balances: Record<string, number>, frozen: string[] = []) {
    const host = new InMemoryAggregates();
    for (const [id, balance] of Object.entries(balances)) {
      await host.client(Account, id).open({ owner: id, currency: 'EUR' });
      await host.client(Account, id).activate({});
      if (balance > 0) await host.client(Account, id).deposit({ amount: balance, reference: 'seed' });
      if (frozen.includes(id)) await host.client(Account, id).freeze({ reason: 'review' });
    }
    const legs: AccountLegs = {
      withdraw: (id, amount, reference, idempotencyKey) =>
        host.client(Account, id).withdraw({ amount, reference }, { idempotencyKey }),
      deposit: (id, amount, reference, idempotencyKey) =>
        host.client(Account, id).deposit({ amount, reference }, { idempotencyKey }),
    };
    return { host, legs };
  }
  const balance = async (host: InMemoryAggregates, id: string) =>
    ((await host.state(Account, id)).state as { balance: number }).balance;
  const transfer = { transferId: 't1', from: 'a', to: 'b', amount: 30 };

  it('debits the source and credits the target', async () => {
    const { host, legs } = await bankWith({ a: 100, b: 0 });
    const step = new TestWorkflowStep();
    expect(await runSaga(step.asWorkflowStep(), (saga) => moveMoney(saga, transfer, legs))).toMatchObject({
      status: 'completed',
    });
    expect([await balance(host, 'a'), await balance(host, 'b')]).toEqual([70, 30]);
    // A step that runs again (a crash before its result was persisted) moves no money twice.
    await runSaga(new TestWorkflowStep().asWorkflowStep(), (saga) => moveMoney(saga, transfer, legs));
    expect([await balance(host, 'a'), await balance(host, 'b')]).toEqual([70, 30]);
  });

  it('credits the source back when the target refuses the money', async () => {
    const { host, legs } = await bankWith({ a: 100, b: 0 }, ['b']);
    const step = new TestWorkflowStep();
    const outcome = await runSaga(step.asWorkflowStep(), (saga) => moveMoney(saga, transfer, legs));
    expect(outcome).toMatchObject({ status: 'compensated', compensated: ['compensate: debit source'] });
    expect(step.names()).toEqual(['debit source', 'credit target', 'compensate: debit source']);
    expect([await balance(host, 'a'), await balance(host, 'b')]).toEqual([100, 0]);
  });
});
