import { Aggregate, Command, defineEvent, EventHandler, type PayloadOf } from '@escf/core';
import { z } from 'zod';

export const SlowlyIncremented = defineEvent('SlowlyIncremented', z.object({ from: z.number().int() }));
export type SlowlyIncremented = PayloadOf<typeof SlowlyIncremented>;

/**
 * A command that awaits a real timer (a macrotask) between reading state and
 * returning its event: without per-object serialization, concurrent commands
 * would interleave there and decide on the same state.
 */
export class SlowCounter extends Aggregate<{ count: number }> {
  static readonly type = 'SlowCounter';
  protected initialState() {
    return { count: 0 };
  }

  @Command(z.object({}), { emits: [SlowlyIncremented] })
  async increment() {
    const from = this.state.count;
    await new Promise((resolve) => setTimeout(resolve, 2));
    return new SlowlyIncremented({ from });
  }

  @EventHandler(SlowlyIncremented)
  protected incremented(e: SlowlyIncremented) {
    if (e.from !== this.state.count) throw new Error(`lost update: decided on ${e.from}, state is ${this.state.count}`);
    return { count: this.state.count + 1 };
  }
}
