// The sharded fixture's domain: a Tally aggregate (its streams spread over two
// event-store databases by hash) and a projection of it.
import { Aggregate, Command, defineEvent, type Envelope, EventHandler, type PayloadOf, Projection } from '@escf/core';
import { z } from 'zod';

export const Tallied = defineEvent('Tallied', z.object({ by: z.number().int() }));
export type Tallied = PayloadOf<typeof Tallied>;

export class Tally extends Aggregate<{ total: number }> {
  static readonly type = 'Tally';
  protected initialState() {
    return { total: 0 };
  }

  @Command(z.object({ by: z.number().int() }), { emits: [Tallied] })
  add(input: { by: number }) {
    return new Tallied({ by: input.by });
  }

  @EventHandler(Tallied)
  protected tallied(e: Tallied) {
    return { total: this.state.total + e.by };
  }
}

export interface TotalsEnv {
  TOTALS_DB: D1Database;
}

/** Per tally, the sum of its events. */
@Projection('totals')
export class Totals {
  constructor(private readonly env: TotalsEnv) {}

  @EventHandler(Tallied)
  onTallied(e: Envelope<Tallied>) {
    return this.env.TOTALS_DB.prepare(
      `INSERT INTO totals (id, total) VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET total = total + ?2`,
    ).bind(e.aggregateId, e.payload.by);
  }
}
