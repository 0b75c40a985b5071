import '../src/class-validator/index.js';
import { IsInt, IsString, Min } from 'class-validator';
import { z } from 'zod';
import { Aggregate, Command, DomainEvent, defineEvent, Event, EventHandler, type PayloadOf } from '../src/index.js';

@Event('Opened')
export class Opened extends DomainEvent<Opened> {
  @IsString() owner!: string;
}

@Event('Deposited')
export class Deposited extends DomainEvent<Deposited> {
  @IsInt() @Min(1) amount!: number;
}

export const Closed = defineEvent('Closed', z.object({ reason: z.string().default('unspecified') }));
export type Closed = PayloadOf<typeof Closed>;

export class Deposit {
  @IsInt() @Min(1) amount!: number;
}

export interface AccountState {
  readonly open: boolean;
  readonly owner: string | null;
  readonly balance: number;
  readonly history: readonly number[];
}

/** A small aggregate exercising every engine path. */
export class Account extends Aggregate<AccountState> {
  static readonly type = 'Account';

  protected initialState(): AccountState {
    return { open: false, owner: null, balance: 0, history: [] };
  }

  @Command(z.object({ owner: z.string().min(1) }), { emits: [Opened] })
  open(input: { owner: string }) {
    return new Opened({ owner: input.owner });
  }

  @Command(Deposit, { emits: [Deposited] })
  deposit(input: Deposit) {
    return new Deposited({ amount: input.amount });
  }

  @Command(z.object({ amounts: z.array(z.number()) }))
  depositMany(input: { amounts: number[] }) {
    return input.amounts.map((amount) => new Deposited({ amount }));
  }

  @Command(z.object({ reason: z.string().optional() }), { emits: [Closed] })
  close(input: { reason?: string }) {
    return input.reason === undefined ? new Closed({}) : new Closed({ reason: input.reason });
  }

  @Command(z.object({}))
  noop() {
    return undefined;
  }

  @Command(z.object({}))
  cheat() {
    (this.state as { balance: number }).balance = 1_000_000;
    return [];
  }

  @Command(z.object({}))
  cheatHistory() {
    (this.state.history as number[]).push(1);
    return [];
  }

  @Command(z.object({}))
  returnsJunk() {
    return { type: 'Deposited', amount: 1 } as never;
  }

  @Command(z.object({}), { emits: [Opened] })
  emitsUndeclared() {
    return new Deposited({ amount: 1 }) as never;
  }

  @Command(z.object({}))
  emitsInvalid() {
    return new Deposited({ amount: -5 });
  }

  @EventHandler(Opened)
  protected opened(e: Opened): AccountState {
    return { ...this.state, open: true, owner: e.owner };
  }

  @EventHandler(Deposited)
  protected deposited(e: Deposited): AccountState {
    return { ...this.state, balance: this.state.balance + e.amount, history: [...this.state.history, e.amount] };
  }

  @EventHandler(Closed)
  protected closed(): AccountState {
    return { ...this.state, open: false };
  }
}
