// Type tests under standard (TC39) decorators: the decorators' signatures
// accept the (value, context) call shape and keep their checks.

import { Aggregate, Command, defineEvent, EventHandler, type PayloadOf, Upcast, type upcast } from '@escf/core';
import { z } from 'zod';

const Happened = defineEvent('Happened', z.object({ n: z.number() }));
type Happened = PayloadOf<typeof Happened>;
const Other = defineEvent('Other', z.object({ s: z.string() }));

interface S {
  readonly n: number;
}

export class Counter extends Aggregate<S> {
  static readonly type = 'Counter';
  protected initialState(): S {
    return { n: 0 };
  }

  @Command(z.object({ n: z.number() }), { emits: [Happened] })
  happen(input: { n: number }) {
    return new Happened(input);
  }

  // @ts-expect-error the method's input must be the schema's output
  @Command(z.object({ n: z.number() }))
  wrongInput(input: { s: string }) {
    return [new Other(input)];
  }

  // @ts-expect-error emitting an event that `emits` does not list
  @Command(z.object({}), { emits: [Happened] })
  wrongEvent() {
    return new Other({ s: 'x' });
  }

  @EventHandler(Happened)
  protected happened(event: Happened): S {
    return { n: this.state.n + event.n };
  }

  // @ts-expect-error a reducer returns the aggregate's state
  @EventHandler(Other)
  protected wrongState(_event: PayloadOf<typeof Other>): string {
    return 'not a state';
  }
}

// @Upcast keeps comparing the chain's current shape with the class it decorates.
declare const chain: ReturnType<typeof upcast<{ a: string }>>;
export const upcastDecorator: ReturnType<typeof Upcast<{ a: string }>> = Upcast(chain);
