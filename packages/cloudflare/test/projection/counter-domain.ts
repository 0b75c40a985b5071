// A small domain for the projection and process tests: a Counter aggregate
// whose Counted event is at schema version 2 (version 1 said `amount`).
import { Aggregate, Command, DomainError, defineEvent, EventHandler, type PayloadOf, upcast } from '@escf/core';
import { z } from 'zod';

export const Counted = defineEvent('Counted', z.object({ by: z.number().int() }), {
  version: 2,
  upcast: upcast<{ amount: number }>().lens<{ by: number }>((v1) => ({ by: v1.amount })),
});
export type Counted = PayloadOf<typeof Counted>;

/**
 * Three schema versions: v1 stored `{ value }`, v2 renamed it `{ amount }`,
 * v3 added a unit. Stored v1 events must reach every reader as v3.
 */
export const Measured = defineEvent('Measured', z.object({ amount: z.number(), unit: z.string() }), {
  version: 3,
  upcast: upcast<{ value: number }>()
    .lens<{ amount: number }>((v1) => ({ amount: v1.value }))
    .lens<{ amount: number; unit: string }>((v2) => ({ ...v2, unit: 'm' })),
});
export type Measured = PayloadOf<typeof Measured>;

/** A projection handler fails on this event while the aggregate is in the `poison` table. */
export const Poked = defineEvent('Poked', z.object({}));
export const Recorded = defineEvent('Recorded', z.object({ from: z.string(), by: z.number().int() }));

export class Counter extends Aggregate<{ total: number }> {
  static readonly type = 'Counter';
  protected initialState() {
    return { total: 0 };
  }

  @Command(z.object({ by: z.number().int() }), { emits: [Counted] })
  count(input: { by: number }) {
    if (input.by === 0) throw new DomainError('Counting by zero changes nothing', { code: 'ZERO' });
    return new Counted({ by: input.by });
  }

  @Command(z.object({ amount: z.number(), unit: z.string() }), { emits: [Measured] })
  measure(input: { amount: number; unit: string }) {
    return new Measured(input);
  }

  @Command(z.object({}), { emits: [Poked] })
  poke() {
    return new Poked({});
  }

  @Command(z.object({ from: z.string(), by: z.number().int() }), { emits: [Recorded] })
  record(input: { from: string; by: number }) {
    return new Recorded(input);
  }

  @EventHandler(Counted)
  protected counted(e: Counted) {
    return { total: this.state.total + e.by };
  }

  @EventHandler(Measured)
  protected measured(e: Measured) {
    if (e.unit !== 'm') throw new Error(`expected metres, got ${e.unit}`);
    return { total: this.state.total + e.amount };
  }

  @EventHandler(Poked)
  protected poked() {
    return this.state;
  }

  @EventHandler(Recorded)
  protected recorded() {
    return this.state;
  }
}
