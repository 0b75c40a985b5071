import { type Envelope, EventHandler, Process, type ProcessHandlerContext, Projection } from '@escf/core';
import { Counter, Incremented, Reset } from './readme-counter.js';

export const COUNTER_TOTALS_SCHEMA = 'CREATE TABLE totals (counter_id TEXT PRIMARY KEY, total INTEGER NOT NULL)';

// A read model: one row per counter.
@Projection('counter-totals')
export class CounterTotals {
  constructor(private readonly env: { COUNTER_TOTALS_DB: D1Database }) {}

  @EventHandler(Incremented)
  onIncremented(e: Envelope<Incremented>) {
    return this.env.COUNTER_TOTALS_DB.prepare(
      'INSERT INTO totals (counter_id, total) VALUES (?1, ?2) ON CONFLICT (counter_id) DO UPDATE SET total = total + ?2',
    ).bind(e.aggregateId, e.payload.by);
  }

  @EventHandler(Reset)
  onReset(e: Envelope<Reset>) {
    return this.env.COUNTER_TOTALS_DB.prepare('UPDATE totals SET total = 0 WHERE counter_id = ?1').bind(e.aggregateId);
  }

  async total(counterId: string): Promise<number> {
    return (
      (await this.env.COUNTER_TOTALS_DB.prepare('SELECT total FROM totals WHERE counter_id = ?1')
        .bind(counterId)
        .first<number>('total')) ?? 0
    );
  }

  resetReadModel() {
    return this.env.COUNTER_TOTALS_DB.prepare('DELETE FROM totals');
  }
}

// A process: big increments are announced, and mirrored to an audit counter.
@Process('announce-big-increments')
export class AnnounceBigIncrements {
  @EventHandler(Incremented)
  async onIncremented(
    e: Envelope<Incremented>,
    { effects, commands }: ProcessHandlerContext<{ announce(text: string): Promise<void> }>,
  ) {
    if (e.payload.by < 50) return;
    await effects.announce(`${e.aggregateId} jumped by ${e.payload.by}`);
    await commands.to(Counter, `audit-${e.aggregateId}`).increment({ by: 1 });
  }
}
