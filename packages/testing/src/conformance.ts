/**
 * @escf/testing/conformance — the suite every `EventStore` implementation
 * must pass (`D1EventStore`, `ArchivingEventStore` and `InMemoryEventStore`
 * run it): call it inside a vitest test file with a factory for a fresh store.
 *
 * @packageDocumentation
 */
export { describeEventStoreConformance, makeEvents } from './event-store-conformance.js';
