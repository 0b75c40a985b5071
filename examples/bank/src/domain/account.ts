import { Aggregate, Command, Conflict, DomainError, EventHandler, NotFound } from '@escf/core';
import { z } from 'zod';
import {
  AccountActivated,
  AccountClosed,
  AccountFrozen,
  AccountOpened,
  AccountUnfrozen,
  Deposited,
  LargeWithdrawalFlagged,
  Withdrawn,
} from './account-events.js';

/**
 * An account's state as a discriminated union: each status carries exactly
 * the fields that exist in it, so "a balance on an account that was never
 * opened" or "a reason on an open account" cannot be written down.
 */
export type AccountState =
  | { readonly status: 'none' }
  | { readonly status: 'pending'; readonly owner: string; readonly currency: string }
  | {
      readonly status: 'open';
      readonly owner: string;
      readonly currency: string;
      readonly balance: number;
      readonly flags: number;
    }
  | {
      readonly status: 'frozen';
      readonly owner: string;
      readonly currency: string;
      readonly balance: number;
      readonly flags: number;
      readonly reason: string;
    }
  | { readonly status: 'closed'; readonly owner: string; readonly currency: string };

type Funded = Extract<AccountState, { balance: number }>;

const money = z.object({
  amount: z.number().int().positive().max(1_000_000_000),
  reference: z.string().min(1).max(100),
});

/**
 * A bank account (seed 004). Invariants live here, in the commands: money
 * moves only on an open account, a withdrawal never overdraws, an account
 * closes only at zero. Reducers only record facts.
 */
export class Account extends Aggregate<AccountState> {
  static readonly type = 'Account';

  protected initialState(): AccountState {
    return { status: 'none' };
  }

  @Command(z.object({ owner: z.string().min(1).max(100), currency: z.string().regex(/^[A-Z]{3}$/) }), {
    emits: [AccountOpened],
  })
  open(input: { owner: string; currency: string }) {
    if (this.state.status !== 'none') throw new Conflict('Account already exists');
    return new AccountOpened(input);
  }

  @Command(z.object({}), { emits: [AccountActivated] })
  activate() {
    if (this.state.status === 'open') return []; // already active: nothing to do
    if (this.state.status !== 'pending')
      throw new DomainError(`Only a pending account can be activated (this one is ${this.state.status})`, {
        code: 'ACCOUNT_NOT_PENDING',
      });
    return new AccountActivated({});
  }

  @Command(money, { emits: [Deposited] })
  deposit(input: { amount: number; reference: string }) {
    const account = this.openAccount();
    return new Deposited({ ...input, currency: account.currency });
  }

  @Command(money, { emits: [Withdrawn] })
  withdraw(input: { amount: number; reference: string }) {
    const account = this.openAccount();
    if (input.amount > account.balance) {
      throw new DomainError(`The balance (${account.balance} ${account.currency}) does not cover ${input.amount}`, {
        code: 'INSUFFICIENT_FUNDS',
        details: {
          balance: account.balance,
          requested: input.amount,
        },
      });
    }
    return new Withdrawn(input);
  }

  @Command(z.object({ reason: z.string().min(1).max(200) }), { emits: [AccountFrozen] })
  freeze(input: { reason: string }) {
    if (this.state.status === 'frozen') return [];
    this.openAccount();
    return new AccountFrozen(input);
  }

  @Command(z.object({}), { emits: [AccountUnfrozen] })
  unfreeze() {
    if (this.state.status !== 'frozen')
      throw new DomainError('Only a frozen account can be unfrozen', { code: 'ACCOUNT_NOT_FROZEN' });
    return new AccountUnfrozen({});
  }

  @Command(z.object({}), { emits: [AccountClosed] })
  close() {
    if (this.state.status === 'closed') return [];
    if (this.state.status === 'none') throw new NotFound('No such account');
    if ((this.state.status === 'open' || this.state.status === 'frozen') && this.state.balance !== 0) {
      throw new DomainError(`Withdraw the balance (${this.state.balance}) before closing the account`, {
        code: 'BALANCE_NOT_ZERO',
      });
    }
    return new AccountClosed({});
  }

  @Command(money, { emits: [LargeWithdrawalFlagged] })
  flagLargeWithdrawal(input: { amount: number; reference: string }) {
    if (this.state.status === 'none') throw new NotFound('No such account');
    return new LargeWithdrawalFlagged(input);
  }

  /** The state, if money may move on it; otherwise the domain error that says why not. */
  private openAccount(): Extract<AccountState, { status: 'open' }> {
    const state = this.state;
    if (state.status === 'open') return state;
    if (state.status === 'none') throw new NotFound('No such account');
    throw new DomainError(`Money cannot move on a ${state.status} account`, {
      code: 'ACCOUNT_NOT_OPEN',
      details: {
        status: state.status,
      },
    });
  }

  @EventHandler(AccountOpened)
  protected opened(e: AccountOpened): AccountState {
    return { status: 'pending', owner: e.owner, currency: e.currency };
  }

  @EventHandler(AccountActivated)
  protected activated(): AccountState {
    const s = this.state as Extract<AccountState, { status: 'pending' }>;
    return { status: 'open', owner: s.owner, currency: s.currency, balance: 0, flags: 0 };
  }

  @EventHandler(Deposited)
  protected deposited(e: Deposited): AccountState {
    const s = this.state as Funded;
    return { ...s, balance: s.balance + e.amount };
  }

  @EventHandler(Withdrawn)
  protected withdrawn(e: Withdrawn): AccountState {
    const s = this.state as Funded;
    return { ...s, balance: s.balance - e.amount };
  }

  @EventHandler(AccountFrozen)
  protected frozen(e: AccountFrozen): AccountState {
    const s = this.state as Extract<AccountState, { status: 'open' }>;
    return { ...s, status: 'frozen', reason: e.reason };
  }

  @EventHandler(AccountUnfrozen)
  protected unfrozen(): AccountState {
    const { reason: _reason, ...s } = this.state as Extract<AccountState, { status: 'frozen' }>;
    return { ...s, status: 'open' };
  }

  @EventHandler(AccountClosed)
  protected closed(): AccountState {
    const s = this.state as Exclude<AccountState, { status: 'none' }>;
    return { status: 'closed', owner: s.owner, currency: s.currency };
  }

  @EventHandler(LargeWithdrawalFlagged)
  protected flagged(): AccountState {
    const s = this.state as Funded;
    return 'flags' in s ? { ...s, flags: s.flags + 1 } : s;
  }
}
