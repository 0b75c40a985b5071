import type { AggregateClass, DomainEvent, EventEnvelope } from '@escf/core';
import { eventDefinitionOf, newId } from '@escf/core/internal';
import type { StreamId } from '@escf/core/store';
import { InMemoryEventStore } from './in-memory-event-store.js';

/** An event as it is stored, at any schema version (older ones are upcast by the reader). */
export interface StoredEventInput {
  readonly type: string;
  readonly schemaVersion?: number;
  readonly payload: unknown;
  /** Extra metadata (e.g. a tenant default a lens reads). */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** An event for a scenario's `given`: an event instance, or a stored event at any schema version. */
export type GivenEvent = DomainEvent<any> | StoredEventInput;

/** Events of one aggregate stream, made by {@link inStream}. */
export interface StreamEvents {
  readonly stream: StreamId;
  readonly events: readonly GivenEvent[];
}

/** The stream loose events of a scenario's `given` belong to. */
export const DEFAULT_STREAM: StreamId = { aggregateType: 'Test', aggregateId: 'test-id' };

/**
 * Events of one aggregate instance, numbered 1..n, for `projectionScenario`
 * and `processScenario`.
 *
 * @example
 * ```ts
 * balances.given(inStream(Account, 'acc-1', new AccountOpened({ … }), { type: 'Deposited', schemaVersion: 1, payload: { amount: 5 } }))
 * ```
 */
export function inStream(
  aggregate: AggregateClass | string,
  aggregateId: string,
  ...events: GivenEvent[]
): StreamEvents {
  const aggregateType = typeof aggregate === 'string' ? aggregate : (aggregate as unknown as { type: string }).type;
  return { stream: { aggregateType, aggregateId }, events };
}

/** Stores the given events in an in-memory log, in the order given, and returns it with the stored envelopes (with positions). */
export async function storeGivenEvents(
  items: ReadonlyArray<GivenEvent | StreamEvents | EventEnvelope>,
  now: () => number,
): Promise<{ store: InMemoryEventStore; events: EventEnvelope[] }> {
  const store = new InMemoryEventStore();
  const versions = new Map<string, number>();
  const envelopes: EventEnvelope[] = [];
  const add = (stream: StreamId, event: GivenEvent) => {
    const key = `${stream.tenantId ?? ''}/${stream.aggregateType}/${stream.aggregateId}`;
    const version = (versions.get(key) ?? 0) + 1;
    versions.set(key, version);
    envelopes.push(toEnvelope(stream, version, event, now()));
  };
  for (const item of items) {
    if (isStreamEvents(item)) for (const event of item.events) add(item.stream, event);
    else if (isEnvelope(item)) envelopes.push(item);
    else add(DEFAULT_STREAM, item);
  }
  for (const envelope of envelopes) {
    const stream = {
      aggregateType: envelope.aggregateType,
      aggregateId: envelope.aggregateId,
      ...(envelope.metadata.tenantId ? { tenantId: envelope.metadata.tenantId } : {}),
    };
    await store.append(stream, [envelope], { expectedVersion: envelope.version - 1 });
  }
  return { store, events: await store.readAll({ after: 0, limit: Number.MAX_SAFE_INTEGER }) };
}

/** Envelopes for events of one stream, numbered from `fromVersion`. */
export function envelopesFor(
  stream: StreamId,
  events: readonly GivenEvent[],
  now: number,
  fromVersion = 1,
): EventEnvelope[] {
  return events.map((event, index) => toEnvelope(stream, fromVersion + index, event, now));
}

function toEnvelope(stream: StreamId, version: number, event: GivenEvent, timestamp: number): EventEnvelope {
  const id = newId();
  const definition = eventDefinitionOf((event as object).constructor);
  const stored = definition
    ? {
        type: definition.type,
        schemaVersion: definition.version,
        payload: JSON.parse(JSON.stringify({ ...event })) as unknown,
        metadata: {},
      }
    : { ...(event as StoredEventInput), schemaVersion: (event as StoredEventInput).schemaVersion ?? 1 };
  return {
    id,
    aggregateType: stream.aggregateType,
    aggregateId: stream.aggregateId,
    version,
    type: stored.type,
    schemaVersion: stored.schemaVersion,
    payload: stored.payload,
    timestamp,
    metadata: {
      ...stored.metadata,
      correlationId: id,
      causationId: id,
      ...(stream.tenantId ? { tenantId: stream.tenantId } : {}),
    },
  };
}

function isStreamEvents(item: unknown): item is StreamEvents {
  return typeof item === 'object' && item !== null && 'stream' in item && Array.isArray((item as StreamEvents).events);
}

function isEnvelope(item: unknown): item is EventEnvelope {
  return (
    typeof item === 'object' &&
    item !== null &&
    typeof (item as EventEnvelope).aggregateId === 'string' &&
    typeof (item as EventEnvelope).version === 'number' &&
    typeof (item as EventEnvelope).id === 'string'
  );
}
