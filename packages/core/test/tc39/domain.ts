// A domain compiled with TypeScript's default, standard (TC39) decorators
// (no experimentalDecorators; see tsconfig.json here): everything that does
// not need class-validator. Type-checked by `npm run typecheck`, compiled by
// tsc and by esbuild in ../standard-decorators.unit.test.ts, then run.

import {
  Aggregate,
  Command,
  defineEvent,
  type Envelope,
  EventHandler,
  OnHttp,
  type PayloadOf,
  Process,
  Projection,
  upcast,
} from '@escf/core';
import { z } from 'zod';

interface OpenedV1 {
  owner: string;
}

export const Opened = defineEvent('Opened', z.object({ owner: z.string(), currency: z.string() }), {
  version: 2,
  upcast: upcast<OpenedV1>().lens<{ owner: string; currency: string }>({ up: (v1) => ({ ...v1, currency: 'EUR' }) }),
});
export type Opened = PayloadOf<typeof Opened>;
export const Deposited = defineEvent('Deposited', z.object({ amount: z.number().int().positive() }));
export type Deposited = PayloadOf<typeof Deposited>;

export interface AccountState {
  readonly owner?: string;
  readonly balance: number;
}

export class Account extends Aggregate<AccountState> {
  static readonly type: string = 'Account';

  protected initialState(): AccountState {
    return { balance: 0 };
  }

  @Command(z.object({ owner: z.string().min(1) }), { emits: [Opened] })
  open(input: { owner: string }) {
    return new Opened({ owner: input.owner, currency: 'EUR' });
  }

  @Command(z.object({ amount: z.number().int().positive() }))
  deposit(input: { amount: number }) {
    return new Deposited(input);
  }

  @EventHandler(Opened)
  protected opened(event: Opened): AccountState {
    return { ...this.state, owner: event.owner };
  }

  @EventHandler(Deposited)
  protected deposited(event: Deposited): AccountState {
    return { ...this.state, balance: this.state.balance + event.amount };
  }
}

/** A subclass inherits its parent's commands and handlers. */
export class SavingsAccount extends Account {
  static override readonly type: string = 'SavingsAccount';

  @Command(z.object({}))
  close() {
    return [];
  }
}

@Projection('balances')
export class Balances {
  readonly seen: string[] = [];

  @EventHandler(Deposited)
  async onDeposited(event: Envelope<Deposited>): Promise<void> {
    this.seen.push(`${event.aggregateId}:${event.payload.amount}`);
  }
}

@Process('auditing')
export class Auditing {
  @EventHandler(Opened)
  async onOpened(_event: Envelope<Opened>): Promise<void> {}

  @OnHttp('POST', '/audit')
  async audit(): Promise<void> {}
}
