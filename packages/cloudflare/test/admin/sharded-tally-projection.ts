// A projection over the sharded Counter's two event-store databases: per
// counter, the sum of its Counted events (the admin's per-shard lag is read from it).
import { type Envelope, EventHandler, Projection } from '@escf/core';
import { Counted, type Counted as CountedPayload } from '../projection/counter-domain.js';

export const SHARDED_TALLY_SCHEMA =
  'CREATE TABLE IF NOT EXISTS sharded_tally (id TEXT PRIMARY KEY, total INTEGER NOT NULL)';

export interface ShardedTallyEnv {
  SHARDED_TALLY_DB: D1Database;
}

@Projection('sharded-tally')
export class ShardedTally {
  constructor(private readonly env: ShardedTallyEnv) {}

  @EventHandler(Counted)
  onCounted(e: Envelope<CountedPayload>) {
    return this.env.SHARDED_TALLY_DB.prepare(
      'INSERT INTO sharded_tally (id, total) VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET total = total + ?2',
    ).bind(e.aggregateId, e.payload.by);
  }
}
