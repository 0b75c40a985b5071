/**
 * @escf/testing — given/when/then for aggregates, an in-memory event store,
 * an in-memory aggregate host and the conformance suite every `EventStore`
 * must pass.
 *
 * @packageDocumentation
 */
export { scenario, When, type ExpectedEvent, type ScenarioOutcome } from './aggregate-scenario.js';
export { InMemoryEventStore } from './in-memory-event-store.js';
export { InMemoryAggregates } from './in-memory-aggregates.js';
export { describeEventStoreConformance, makeEvents } from './event-store-conformance.js';
export { eventually, type EventuallyOptions } from './eventually.js';
