import { Aggregate, Command, defineEvent, EventHandler, type PayloadOf } from '@escf/core';
import { z } from 'zod';

/** The benchmark's event: the same payload the raw Durable Object stores. */
export const Incremented = defineEvent('Incremented', z.object({ by: z.number().int() }));
export type Incremented = PayloadOf<typeof Incremented>;

const Increment = z.object({ by: z.number().int().min(1).max(1000) });

/** A minimal aggregate, so the benchmark measures the runtime, not domain code. */
export class Counter extends Aggregate<{ count: number }> {
  static readonly type = 'Counter';
  protected initialState() {
    return { count: 0 };
  }

  @Command(Increment, { emits: [Incremented] })
  increment(input: z.infer<typeof Increment>) {
    return new Incremented({ by: input.by });
  }

  @EventHandler(Incremented)
  protected incremented(e: Incremented) {
    return { count: this.state.count + e.by };
  }
}
