// The reliability suite's domain: an Account aggregate with a class-validator
// command (open), zod commands (deposit, note, poke) and a string-heavy event
// (note) for size limits and unicode round trips.
import '@escf/core/class-validator';
import { Aggregate, Command, Conflict, defineEvent, EventHandler, type PayloadOf } from '@escf/core';
import { IsString, Length } from 'class-validator';
import { z } from 'zod';

export class OpenAccount {
  @IsString()
  @Length(1, 100)
  owner!: string;
}

export const Opened = defineEvent('Opened', z.object({ owner: z.string() }));
export const Deposited = defineEvent('Deposited', z.object({ amount: z.number().int(), memo: z.string() }));
export const Noted = defineEvent('Noted', z.object({ text: z.string() }));
/** Stricter than the command that emits it: an input can pass `setEmail`'s schema and fail this one. */
export const EmailSet = defineEvent('EmailSet', z.object({ email: z.email() }));
export const Frozen = defineEvent('Frozen', z.object({ reason: z.string() }));
/** The ledger projection throws on this event for accounts whose id starts with `poison-`. */
export const Poked = defineEvent('Poked', z.object({}));

export interface AccountState {
  readonly owner: string | null;
  readonly balance: number;
  readonly deposits: number;
}

export class Account extends Aggregate<AccountState> {
  static readonly type = 'Account';
  protected initialState(): AccountState {
    return { owner: null, balance: 0, deposits: 0 };
  }

  @Command(OpenAccount, { emits: [Opened] })
  open(input: OpenAccount) {
    if (this.state.owner !== null) throw new Conflict('Account already open');
    return new Opened({ owner: input.owner });
  }

  @Command(z.object({ amount: z.number().int().min(1).max(1_000_000), memo: z.string().max(500).default('') }), {
    emits: [Deposited],
  })
  deposit(input: { amount: number; memo: string }) {
    return new Deposited({ amount: input.amount, memo: input.memo });
  }

  /** Up to 3 MB of text: the event size limit, not the schema, must stop big ones. */
  @Command(z.object({ text: z.string().max(3_000_000) }), { emits: [Noted] })
  note(input: { text: string }) {
    return new Noted({ text: input.text });
  }

  /** Any non-blank string passes the command; the event insists on an email address. */
  @Command(z.object({ email: z.string().min(1).max(320) }), { emits: [EmailSet] })
  setEmail(input: { email: string }) {
    return new EmailSet({ email: input.email });
  }

  /** Guarded: only the account's owner (by principal id) or an auditor may freeze it, with the `accounts:write` scope. */
  @Command(z.object({ reason: z.string().max(200) }), {
    emits: [Frozen],
    authorize: {
      roles: ['auditor'],
      scopes: ['accounts:write'],
      allow: ({ principal, aggregate, input }) => principal.id === aggregate.state.owner && input.reason.length > 0,
    },
  })
  freeze(input: { reason: string }) {
    return new Frozen({ reason: input.reason });
  }

  @Command(z.object({}), { emits: [Poked] })
  poke() {
    return new Poked({});
  }

  @EventHandler(Opened)
  protected opened(e: PayloadOf<typeof Opened>): AccountState {
    return { ...this.state, owner: e.owner };
  }

  @EventHandler(Deposited)
  protected deposited(e: PayloadOf<typeof Deposited>): AccountState {
    return { ...this.state, balance: this.state.balance + e.amount, deposits: this.state.deposits + 1 };
  }

  @EventHandler(Noted)
  protected noted(): AccountState {
    return this.state;
  }

  @EventHandler(EmailSet)
  protected emailSet(): AccountState {
    return this.state;
  }

  @EventHandler(Frozen)
  protected frozen(): AccountState {
    return this.state;
  }

  @EventHandler(Poked)
  protected poked(): AccountState {
    return this.state;
  }
}
