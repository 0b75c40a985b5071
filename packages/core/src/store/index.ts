/**
 * @escf/core/store — the `EventStore` contract, for code that reads the event
 * log directly or implements a store of its own (run `@escf/testing/conformance`
 * against it). `D1EventStore` in `@escf/cloudflare` and `InMemoryEventStore`
 * in `@escf/testing` implement it.
 *
 * @packageDocumentation
 */
export {
  type AppendOptions,
  type AppendResult,
  assertStreamNumbering,
  type EventStore,
  isShardedEventLog,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ShardedEventLog,
  type StreamId,
} from './event-store.js';
