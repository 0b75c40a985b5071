/**
 * Type tests: compiled by `npm run typecheck`, never executed. Each
 * `@ts-expect-error` proves that a mistake does not compile — if the line
 * ever compiled, tsc would fail with "unused @ts-expect-error".
 */
import '../src/class-validator/index.js';
import { IsString } from 'class-validator';
import { expectTypeOf } from 'vitest';
import { z } from 'zod';
import {
  Aggregate,
  type AggregateClient,
  Command,
  type CommandNames,
  DomainEvent,
  defineEvent,
  Event,
  type EventEnvelope,
  EventHandler,
  type EventProps,
  type PayloadOf,
  type Principal,
  Upcast,
  upcast,
} from '../src/index.js';
import { engineFor } from '../src/internal.js';
import { type Account, Closed, Deposited, Opened } from './fixtures.js';

// --- Events -----------------------------------------------------------------

new Opened({ owner: 'ada' });
// @ts-expect-error a required payload field is missing
new Opened({});
// @ts-expect-error a payload field has the wrong type
new Deposited({ amount: '5' });
// @ts-expect-error schema-based events are typed from their schema
new Closed({ reason: 5 });
expectTypeOf<PayloadOf<typeof Closed>['reason']>().toEqualTypeOf<string>();
expectTypeOf(Closed.eventType).toEqualTypeOf<'Closed'>();

// --- Commands and handlers ----------------------------------------------------

interface S {
  readonly n: number;
}
const Bumped = defineEvent('Bumped', z.object({ by: z.number() }));

export class Checked extends Aggregate<S> {
  static readonly type = 'Checked';
  protected initialState(): S {
    return { n: 0 };
  }

  @Command(z.object({ by: z.number() }), { emits: [Bumped] })
  bump(input: { by: number }) {
    return new Bumped({ by: input.by });
  }

  // @ts-expect-error the method's input does not match the schema's output
  @Command(z.object({ by: z.number() }))
  wrongInput(_input: { name: string }) {
    return [] as never[];
  }

  // @ts-expect-error a command must return events, not plain objects
  @Command(z.object({}))
  returnsObject() {
    return { type: 'Bumped', by: 1 };
  }

  // @ts-expect-error only the declared `emits` may be returned
  @Command(z.object({}), { emits: [Bumped] })
  returnsUndeclared() {
    return new Opened({ owner: 'x' });
  }

  @EventHandler(Bumped)
  protected bumped(e: PayloadOf<typeof Bumped>): S {
    return { n: this.state.n + e.by };
  }

  // @ts-expect-error a reducer must return the aggregate's state
  @EventHandler(Bumped)
  protected wrongState(e: PayloadOf<typeof Bumped>) {
    return { count: e.by };
  }

  // @ts-expect-error a reducer receives the event's payload type
  @EventHandler(Bumped)
  protected wrongPayload(e: Opened): S {
    return { n: e.owner.length };
  }
}

// Handlers outside aggregates (projections, processes) receive envelopes.
export class SomeReadModel {
  @EventHandler(Bumped)
  async onBumped(e: EventEnvelope<PayloadOf<typeof Bumped>>) {
    expectTypeOf(e.payload.by).toEqualTypeOf<number>();
  }

  // @ts-expect-error the envelope's payload type must match the event
  @EventHandler(Bumped)
  async onWrong(e: EventEnvelope<Opened>) {
    return e;
  }
}

// --- Clients ------------------------------------------------------------------

expectTypeOf<CommandNames<Account>>().toEqualTypeOf<
  | 'open'
  | 'deposit'
  | 'depositMany'
  | 'close'
  | 'noop'
  | 'cheat'
  | 'cheatHistory'
  | 'returnsJunk'
  | 'emitsUndeclared'
  | 'emitsInvalid'
>();
declare const account: AggregateClient<Account>;
void account.open({ owner: 'ada' });
void account.deposit({ amount: 5 }, { expectedVersion: 1, idempotencyKey: 'k' });
void account.noop();
// @ts-expect-error unknown command
void account.explode({});
// @ts-expect-error event handlers are not commands
void account.opened({ owner: 'x' });
// @ts-expect-error wrong input type
void account.deposit({ amount: 'five' });
// @ts-expect-error missing required input
void account.open();

// --- Aggregate classes ----------------------------------------------------------

class Untyped extends Aggregate<S> {
  protected initialState(): S {
    return { n: 0 };
  }
}
// @ts-expect-error an aggregate class needs `static readonly type`
engineFor(Untyped);

// --- Upcast chains ----------------------------------------------------------------

interface V1 {
  name: string;
}
const chain = upcast<V1>().lens<{ first: string; last: string }>(({ name }) => ({ first: name, last: '' }));
// @ts-expect-error each lens receives the previous version's shape
upcast<V1>().lens<{ a: string }>((v1: { other: number }) => ({ a: String(v1.other) }));

@Upcast(chain)
@Event('Named', { version: 2 })
export class Named extends DomainEvent<Named> {
  @IsString() first!: string;
  @IsString() last!: string;
}

// @ts-expect-error the chain must end at the event's current payload shape
@Upcast(chain)
@Event('Misnamed', { version: 2 })
export class Misnamed extends DomainEvent<Misnamed> {
  @IsString() full!: string;
}

defineEvent('Evolved', z.object({ first: z.string(), last: z.string() }), { version: 2, upcast: chain });
// @ts-expect-error a schema event's chain must end at the schema's shape
defineEvent('Devolved', z.object({ full: z.string() }), { version: 2, upcast: chain });

expectTypeOf<EventProps<Named>>().toEqualTypeOf<{ first: string; last: string }>();

// Sensitive fields are checked against the payload of a schema event.
defineEvent('TypeSensitiveOk', z.object({ token: z.string() }), { sensitive: ['token'] });
// @ts-expect-error 'tokne' is not a payload field
defineEvent('TypeSensitiveTypo', z.object({ token: z.string() }), { sensitive: ['tokne'] });

// Guards are typed with the command's input; principals with their fields.
const Guarded = defineEvent('TypeGuarded', z.object({ reason: z.string() }));
export class GuardedAggregate extends Aggregate<{ owner: string }> {
  static readonly type = 'TypeGuardedAggregate';
  protected initialState() {
    return { owner: '' };
  }

  @Command(z.object({ reason: z.string() }), {
    emits: [Guarded],
    authorize: {
      roles: ['admin'],
      scopes: ['w'],
      allow: ({ principal, input, aggregate }) => principal.id === aggregate.id && input.reason.length > 0,
    },
  })
  freeze(input: { reason: string }) {
    return new Guarded({ reason: input.reason });
  }

  // @ts-expect-error the guard sees the command's input type: it has no 'because'
  @Command(z.object({ reason: z.string() }), { authorize: { allow: ({ input }) => input.because.length > 0 } })
  thaw(input: { reason: string }) {
    return new Guarded({ reason: input.reason });
  }

  @EventHandler(Guarded)
  protected guarded() {
    return this.state;
  }
}
expectTypeOf<Principal>().toHaveProperty('id').toEqualTypeOf<string>();
