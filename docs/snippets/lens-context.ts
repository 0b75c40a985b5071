import { Aggregate, Command, defineEvent, EventHandler, type PayloadOf, streamFold, upcast } from '@escf/core';
import { z } from 'zod';

export const AccountOpened = defineEvent(
  'AccountOpened',
  z.object({ owner: z.string(), currency: z.string().length(3) }),
);
export type AccountOpened = PayloadOf<typeof AccountOpened>;

// Version 1 of Deposited held only the amount: the currency was the account's.
// Version 2 carries it. The v1 → v2 lens reads it from a fold over the stream's
// earlier events (its AccountOpened), and the tenant's default from the metadata.
export const Deposited = defineEvent(
  'Deposited',
  z.object({ amount: z.number().int().positive(), currency: z.string().length(3) }),
  {
    version: 2,
    upcast: upcast<{ amount: number }>()
      .withStream(
        streamFold({ currency: undefined as string | undefined }).on(AccountOpened, (_, opened) => ({
          currency: opened.currency,
        })),
      )
      .lens<{ amount: number; currency: string }>((v1, { stream, metadata }) => ({
        amount: v1.amount,
        currency: stream.currency ?? String(metadata.defaultCurrency ?? 'EUR'),
      })),
  },
);
export type Deposited = PayloadOf<typeof Deposited>;

export interface WalletState {
  readonly currency: string | null;
  readonly balance: number;
}

export class Wallet extends Aggregate<WalletState> {
  static readonly type = 'Wallet';
  protected initialState(): WalletState {
    return { currency: null, balance: 0 };
  }

  @Command(z.object({ amount: z.number().int().positive() }), { emits: [Deposited] })
  deposit(input: { amount: number }) {
    return new Deposited({ amount: input.amount, currency: this.state.currency ?? 'EUR' });
  }

  @EventHandler(AccountOpened)
  protected opened(e: AccountOpened): WalletState {
    return { currency: e.currency, balance: 0 };
  }

  @EventHandler(Deposited)
  protected deposited(e: Deposited): WalletState {
    if (e.currency !== this.state.currency)
      throw new Error(`a ${e.currency} deposit on a ${this.state.currency} account`);
    return { ...this.state, balance: this.state.balance + e.amount };
  }
}
