// The event store of the blue/green test projection: the D1 store, plus a
// hook that recreates the narrowest race of a blue/green switch on demand.
// When a rebuild read comes back short (the rebuild has caught up) and a
// `late_events` row names an aggregate, it commits that aggregate's first
// event to the log and delivers it live (to the still active old database)
// before returning the read that does not contain it — exactly an event
// committed between the rebuild's last read and its switch.
import type { EventEnvelope } from '@escf/core';
import { newId } from '@escf/core/internal';
import type { ReadAllOptions } from '@escf/core/store';
import { D1EventStore } from '../../src/index.js';
import type { Env } from './worker.js';

export const LATE_EVENTS_SCHEMA =
  'CREATE TABLE IF NOT EXISTS late_events (id TEXT PRIMARY KEY, amount INTEGER NOT NULL)';

export class LateEventStore extends D1EventStore {
  constructor(private readonly env: Env) {
    super(env.ESCF_EVENTS);
  }

  override async readAll(options: ReadAllOptions): Promise<EventEnvelope[]> {
    const events = await super.readAll(options);
    if (events.length >= options.limit) return events;
    const { results } = await this.env.TALLY_BG_DB.prepare('DELETE FROM late_events RETURNING id, amount').all<{
      id: string;
      amount: number;
    }>();
    for (const { id, amount } of results) {
      const eventId = newId();
      const stream = { aggregateType: 'Counter', aggregateId: id };
      const event: EventEnvelope = {
        id: eventId,
        aggregateType: 'Counter',
        aggregateId: id,
        version: 1,
        type: 'Counted',
        schemaVersion: 2,
        payload: { by: amount },
        timestamp: Date.now(),
        metadata: { correlationId: eventId, causationId: eventId },
      };
      await super.append(stream, [event], { expectedVersion: 0 });
      await this.env.TALLY_BG.deliver(await super.readStream(stream));
    }
    return events;
  }
}
