import '@escf/core/class-validator';
import {
  Aggregate,
  Command,
  DomainError,
  DomainEvent,
  defineEvent,
  Event,
  EventHandler,
  type PayloadOf,
} from '@escf/core';
import { IsInt, Min } from 'class-validator';
import { z } from 'zod';

// Events are classes with a stable name: class-validator fields…
@Event('Incremented')
export class Incremented extends DomainEvent<Incremented> {
  @IsInt() @Min(1) by!: number;
}
// …or any Standard Schema, such as zod.
export const Reset = defineEvent('Reset', z.object({ reason: z.string() }));
export type Reset = PayloadOf<typeof Reset>;

export interface CounterState {
  readonly count: number;
}

export class Counter extends Aggregate<CounterState> {
  static readonly type = 'Counter'; // stored with every event; never the class name

  protected initialState(): CounterState {
    return { count: 0 };
  }

  // Commands validate their input, read this.state and return events.
  @Command(z.object({ by: z.number().int().min(1).max(100) }), { emits: [Incremented] })
  increment(input: { by: number }) {
    if (this.state.count + input.by > 1_000) throw new DomainError('Counters stop at 1000', { code: 'LIMIT_REACHED' });
    return new Incremented({ by: input.by });
  }

  @Command(z.object({ reason: z.string().min(1) }), { emits: [Reset] })
  reset(input: { reason: string }) {
    return this.state.count === 0 ? [] : new Reset(input);
  }

  // Event handlers are pure reducers: the only place state changes.
  @EventHandler(Incremented)
  protected incremented(e: Incremented): CounterState {
    return { count: this.state.count + e.by };
  }

  @EventHandler(Reset)
  protected wasReset(): CounterState {
    return { count: 0 };
  }
}
