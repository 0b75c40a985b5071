import type { EventEnvelope } from '@escf/core';
import type { AggregateAddress } from '../aggregate/aggregate-address.js';
import { AggregateStorage } from '../aggregate/aggregate-storage.js';

/** The outbox's delivery target for the D1 log (see outbox.ts). */
const D1_TARGET = 'd1';

/**
 * Writes stored events (any schema version) into an aggregate's Durable
 * Object storage through the host's own storage layer, as an earlier
 * release would have left them. With `positions` (the events' places in
 * the D1 log, when they were seeded there too) they count as delivered, so
 * the outbox does not publish them again; without, the outbox delivers them
 * on its next run like any committed event. Call it inside
 * `runInDurableObject`, before the object handled a command.
 */
export function seedAggregateStorage(
  storage: DurableObjectStorage,
  identity: AggregateAddress & { readonly aggregateType: string },
  events: readonly EventEnvelope[],
  positions?: readonly number[],
): void {
  const aggregate = new AggregateStorage(storage);
  aggregate.commit({ events, identity });
  if (positions && events.length > 0)
    aggregate.recordPass(
      events.map((event, index) => ({ ...event, position: positions[index]! })),
      [[D1_TARGET, events.at(-1)!.version]],
    );
}
