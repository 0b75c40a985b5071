import { Aggregate, Command, defineEvent, EventHandler, type PayloadOf } from '@escf/core';
import { z } from 'zod';

export const Deposited = defineEvent('Deposited', z.object({ amount: z.number().int() }));
export type Deposited = PayloadOf<typeof Deposited>;

export interface LedgerState {
  readonly balance: number;
  readonly entries: number;
}

/** A ledger: every deposit is one event, so its history grows one event per command. */
export class Ledger extends Aggregate<LedgerState> {
  static readonly type = 'Ledger';
  protected initialState(): LedgerState {
    return { balance: 0, entries: 0 };
  }

  @Command(z.object({ amount: z.number().int().positive() }), { emits: [Deposited] })
  deposit(input: { amount: number }) {
    return new Deposited(input);
  }

  @EventHandler(Deposited)
  protected deposited(e: Deposited): LedgerState {
    return { balance: this.state.balance + e.amount, entries: this.state.entries + 1 };
  }
}
