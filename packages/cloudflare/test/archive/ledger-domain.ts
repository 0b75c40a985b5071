// The archive tests' domain: a Ledger whose Deposited event is at schema
// version 2 (version 1 stored `cents`), so reads across the archive boundary
// also go through an upcast chain.
import { Aggregate, Command, DomainError, defineEvent, EventHandler, type PayloadOf, upcast } from '@escf/core';
import { z } from 'zod';

export const Deposited = defineEvent('Deposited', z.object({ amount: z.number().int(), memo: z.string() }), {
  version: 2,
  upcast: upcast<{ cents: number }>().lens<{ amount: number; memo: string }>((v1) => ({ amount: v1.cents, memo: '' })),
});
export type Deposited = PayloadOf<typeof Deposited>;
export const Withdrawn = defineEvent('Withdrawn', z.object({ amount: z.number().int() }));
export type Withdrawn = PayloadOf<typeof Withdrawn>;

export interface LedgerState {
  readonly balance: number;
  readonly entries: number;
}

export class Ledger extends Aggregate<LedgerState> {
  static readonly type = 'Ledger';
  protected initialState(): LedgerState {
    return { balance: 0, entries: 0 };
  }

  @Command(z.object({ amount: z.number().int().positive(), memo: z.string().default('') }), { emits: [Deposited] })
  deposit(input: { amount: number; memo: string }) {
    return new Deposited(input);
  }

  @Command(z.object({ amount: z.number().int().positive() }), { emits: [Withdrawn] })
  withdraw(input: { amount: number }) {
    if (input.amount > this.state.balance) throw new DomainError('Not enough money', { code: 'INSUFFICIENT_FUNDS' });
    return new Withdrawn(input);
  }

  @EventHandler(Deposited)
  protected deposited(e: Deposited): LedgerState {
    return { balance: this.state.balance + e.amount, entries: this.state.entries + 1 };
  }

  @EventHandler(Withdrawn)
  protected withdrawn(e: Withdrawn): LedgerState {
    return { balance: this.state.balance - e.amount, entries: this.state.entries + 1 };
  }
}
