// The worker the @escf/cloudflare integration tests run against: the User
// fixture aggregate (test/fixtures/user.ts), hosted as Durable Objects, plus a queue
// consumer that records every message it receives (in D1) so tests can see
// what subscribers got.
import type { D1Migration } from 'cloudflare:test';
import { Customer } from '../../../test/fixtures/customer.js';
import { User } from '../../../test/fixtures/user.js';
import { durableObjectFor } from '../src/index.js';
import { Lamp } from './lamp.js';
import { Note } from './note.js';
import { SlowCounter } from './slow-counter.js';

/** The User aggregate with every delivery target the tests observe. */
export const UserAggregate = durableObjectFor(User, {
  queues: ['EVENTS_QUEUE'],
  services: ['SUBSCRIBER'],
  uniqueness: false, // unique emails are tested in test/reliability (uniqueness.int.test.ts)
});

/** Same aggregate on its own D1 table, so fault tests can break that table without disturbing others. */
export const FaultyUserAggregate = durableObjectFor(User, {
  eventStore: { table: 'escf_events_faults' },
  queues: ['EVENTS_QUEUE'],
  outbox: { retryBaseMs: 60_000 },
  uniqueness: false,
});

/** The failing-target aggregate's clock: tests move it forward to see a failure streak escalate. */
export const failingTargetClock = { offsetMs: 0, now: () => Date.now() + failingTargetClock.offsetMs };

/** The User aggregate delivering to a subscriber that always fails, with an Analytics Engine dataset for its metrics (written every second at most). */
export const FailingTargetUserAggregate = durableObjectFor(User, {
  clock: failingTargetClock,
  services: ['FAILING_SUBSCRIBER'],
  outbox: { retryBaseMs: 60_000 },
  metrics: { analyticsEngine: 'METRICS_DATASET', persistIntervalMs: 1_000 },
  uniqueness: false,
});

/** Snapshots only every 100 events: state after eviction must come from replaying events. */
export const SparseSnapshotUserAggregate = durableObjectFor(User, { snapshotEvery: 100, uniqueness: false });

/** An aggregate whose command awaits a timer: the serialization test's subject. */
export const SlowCounterAggregate = durableObjectFor(SlowCounter);

/** Notes whose events go to a queue (128 KB per message) and notes that stay local (rows of 2 MB). */
export const QueuedNoteAggregate = durableObjectFor(Note, { queues: ['EVENTS_QUEUE'] });
export const LocalNoteAggregate = durableObjectFor(Note);

/** Lamps whose subscriber handles only LampSwitchedOn and whose queue consumer handles nothing: routing's subject. */
export const RoutedLampAggregate = durableObjectFor(Lamp, {
  queues: ['EVENTS_QUEUE'],
  services: ['SUBSCRIBER'],
  routes: { SUBSCRIBER: ['LampSwitchedOn'], EVENTS_QUEUE: [] },
});

/** Customers: nested and array class-validator DTOs as command input and event. */
export const CustomerAggregate = durableObjectFor(Customer);

export interface Env {
  CUSTOMER_AGGREGATE: DurableObjectNamespace<InstanceType<typeof CustomerAggregate>>;
  ROUTED_LAMP_AGGREGATE: DurableObjectNamespace<InstanceType<typeof RoutedLampAggregate>>;
  QUEUED_NOTE_AGGREGATE: DurableObjectNamespace<InstanceType<typeof QueuedNoteAggregate>>;
  LOCAL_NOTE_AGGREGATE: DurableObjectNamespace<InstanceType<typeof LocalNoteAggregate>>;
  SLOW_COUNTER_AGGREGATE: DurableObjectNamespace<InstanceType<typeof SlowCounterAggregate>>;
  USER_AGGREGATE: DurableObjectNamespace<InstanceType<typeof UserAggregate>>;
  FAULTY_USER_AGGREGATE: DurableObjectNamespace<InstanceType<typeof FaultyUserAggregate>>;
  SPARSE_USER_AGGREGATE: DurableObjectNamespace<InstanceType<typeof SparseSnapshotUserAggregate>>;
  FAILING_TARGET_USER_AGGREGATE: DurableObjectNamespace<InstanceType<typeof FailingTargetUserAggregate>>;
  FAILING_SUBSCRIBER: Fetcher;
  ESCF_EVENTS: D1Database;
  /** Extra event-store shards (sharded-store tests). */
  ESCF_EVENTS_1: D1Database;
  ESCF_EVENTS_2: D1Database;
  ESCF_EVENTS_3: D1Database;
  EVENTS_QUEUE: Queue;
  SUBSCRIBER: Fetcher & TestSubscriber;
  TEST_MIGRATIONS: D1Migration[];
}

/** The auxiliary subscriber worker's RPC surface (see subscriber.ts). */
export interface TestSubscriber {
  deliver(events: Array<{ id: string }>): Promise<{ received: number }>;
  received(): Promise<
    Array<{
      id: string;
      version: number;
      aggregateId: string;
      position?: number;
      type?: string;
      payload?: unknown;
      metadata?: Record<string, unknown>;
    }>
  >;
  failNext(times: number): Promise<void>;
}

export default {
  async fetch(): Promise<Response> {
    return new Response('escf cloudflare test worker');
  },
  async queue(
    batch: MessageBatch<{ id: string; aggregateId: string; version: number; position?: number }>,
    env: Env,
  ): Promise<void> {
    await env.ESCF_EVENTS.batch(
      batch.messages.map((message) =>
        env.ESCF_EVENTS.prepare(
          'INSERT INTO test_queue_log (event_id, aggregate_id, version, position, body) VALUES (?, ?, ?, ?, ?)',
        ).bind(
          message.body.id,
          message.body.aggregateId,
          message.body.version,
          message.body.position ?? null,
          JSON.stringify(message.body),
        ),
      ),
    );
    batch.ackAll();
  },
} satisfies ExportedHandler<Env, { id: string; aggregateId: string; version: number; position?: number }>;
