import { runInDurableObject } from 'cloudflare:test';
import { D1EventStore } from '@escf/cloudflare';
import { durableObjectName } from '@escf/cloudflare/internal';
import { seedAggregateStorage } from '@escf/cloudflare/test-support';
import type { AggregateClass, EventEnvelope } from '@escf/core';
import type { StreamId } from '@escf/core/store';
import { envelopesFor, type GivenEvent } from '../given-events.js';

/** Options of {@link seedStoredEvents}. */
export interface SeedStoredEventsOptions {
  /** The aggregate class (or its type name). */
  readonly aggregate: AggregateClass | string;
  readonly aggregateId: string;
  readonly tenantId?: string;
  /** The history, oldest first: stored events at any schema version (`{ type, schemaVersion, payload }`) or event instances. */
  readonly events: readonly GivenEvent[];
  /** The aggregate's Durable Object namespace: seeds the object's own storage. */
  readonly durableObject?: { idFromName(name: string): DurableObjectId; get(id: DurableObjectId): unknown };
  /** The D1 event store (`env.ESCF_EVENTS`): seeds the shared log. */
  readonly eventStore?: D1Database;
  /** Event timestamps; default now. */
  readonly timestamp?: number;
}

/**
 * Seeds stored history — at any schema version, as an earlier release
 * would have written it — into an aggregate's Durable Object and/or the D1
 * log, through ESCF's own storage code instead of raw SQL against its
 * private tables. Seeded into both, the events count as already delivered;
 * seeded into the object only, its outbox publishes them like new events.
 * Workerd only (`@cloudflare/vitest-plugin`); seed before the object handles
 * its first command.
 *
 * @example
 * ```ts
 * await seedStoredEvents({
 *   aggregate: Account, aggregateId: 'acc-1',
 *   events: [{ type: 'AccountOpened', schemaVersion: 1, payload: { owner: 'Ada' } }],
 *   durableObject: env.ACCOUNT_AGGREGATE, eventStore: env.ESCF_EVENTS,
 * });
 * ```
 */
export async function seedStoredEvents(options: SeedStoredEventsOptions): Promise<EventEnvelope[]> {
  const aggregateType =
    typeof options.aggregate === 'string' ? options.aggregate : (options.aggregate as unknown as { type: string }).type;
  const stream: StreamId = {
    aggregateType,
    aggregateId: options.aggregateId,
    ...(options.tenantId === undefined ? {} : { tenantId: options.tenantId }),
  };
  let events = envelopesFor(stream, options.events, options.timestamp ?? Date.now());
  if (options.eventStore) {
    const store = new D1EventStore(options.eventStore);
    await store.append(stream, events, { expectedVersion: 0 });
    events = await store.readStream(stream, { limit: events.length });
  }
  if (options.durableObject) {
    const namespace = options.durableObject;
    const address = {
      aggregateId: options.aggregateId,
      ...(options.tenantId === undefined ? {} : { tenantId: options.tenantId }),
    };
    const stub = namespace.get(namespace.idFromName(durableObjectName(address))) as DurableObjectStub;
    const positions = options.eventStore ? events.map((e) => e.position!) : undefined;
    const seed = (_instance: unknown, state: DurableObjectState) =>
      seedAggregateStorage(state.storage, { aggregateType, ...address }, events, positions);
    await (runInDurableObject as unknown as (stub: DurableObjectStub, callback: typeof seed) => Promise<void>)(
      stub,
      seed,
    );
  }
  return events;
}
