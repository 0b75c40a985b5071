/**
 * @escf/testing — given/when/then for aggregates, an in-memory event store
 * and an in-memory aggregate host, for your unit tests. The conformance
 * suite every `EventStore` implementation must pass is at
 * `@escf/testing/conformance`.
 *
 * @packageDocumentation
 */
export { scenario, When, type ExpectedEvent, type ScenarioOutcome } from './aggregate-scenario.js';
export { InMemoryEventStore } from './in-memory-event-store.js';
export { InMemoryAggregates } from './in-memory-aggregates.js';
export { eventually, type EventuallyOptions } from './eventually.js';
