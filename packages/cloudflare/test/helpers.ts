// Shared helpers for the integration tests.
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eventually as pollUntil } from '@escf/testing';
import { Customer } from '../../../test/fixtures/customer.js';
import { User } from '../../../test/fixtures/user.js';
import { aggregateClients } from '../src/index.js';
import { Lamp } from './lamp.js';
import { Note } from './note.js';
import { SlowCounter } from './slow-counter.js';
import type { Env } from './worker.js';

export const testEnv = env as unknown as Env;

const clients = aggregateClients({
  user: { aggregate: User, binding: 'USER_AGGREGATE' },
  faultyUser: { aggregate: User, binding: 'FAULTY_USER_AGGREGATE' },
  sparseUser: { aggregate: User, binding: 'SPARSE_USER_AGGREGATE' },
  slowCounter: { aggregate: SlowCounter, binding: 'SLOW_COUNTER_AGGREGATE' },
  queuedNote: { aggregate: Note, binding: 'QUEUED_NOTE_AGGREGATE' },
  localNote: { aggregate: Note, binding: 'LOCAL_NOTE_AGGREGATE' },
  routedLamp: { aggregate: Lamp, binding: 'ROUTED_LAMP_AGGREGATE' },
  customer: { aggregate: Customer, binding: 'CUSTOMER_AGGREGATE' },
});

/** The tests act as an operator (role `admin`), which the User's guarded commands admit. */
export const OPERATOR = { id: 'test-operator', roles: ['admin'] } as const;
export const aggregates: typeof clients = (env, options = {}) => clients(env, { principal: OPERATOR, ...options });

let counter = 0;
/** A fresh aggregate id per test: storage is shared across the run. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

export const ada = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'correct horse battery' } as const;

type Row = Record<string, SqlStorageValue>;

/** Runs SQL inside an aggregate's Durable Object and returns the rows. */
export function doSql<T extends Row = Row>(
  stub: DurableObjectStub,
  query: string,
  ...params: SqlStorageValue[]
): Promise<T[]> {
  return inObject(stub, (state) => state.storage.sql.exec(query, ...params).toArray() as T[]);
}

/** `runInDurableObject` with the object's state only (its overloads are too deep for tsc on generic stubs). */
export function inObject<R>(
  stub: DurableObjectStub,
  callback: (state: DurableObjectState, instance: any) => R | Promise<R>,
): Promise<R> {
  const run = runInDurableObject as unknown as (
    s: DurableObjectStub,
    cb: (instance: unknown, state: DurableObjectState) => R | Promise<R>,
  ) => Promise<R>;
  return run(stub, (instance, state) => callback(state, instance));
}

/** The stub the client uses for an address. */
export function stubOf(namespace: unknown, name: string): DurableObjectStub {
  const plain = namespace as DurableObjectNamespace;
  return plain.get(plain.idFromName(name));
}

/** Events of one aggregate in the D1 log (flattened from its batch rows). */
export async function d1Events(
  aggregateId: string,
  table = 'escf_events',
): Promise<Array<{ id: string; version: number; position: number }>> {
  const { results } = await testEnv.ESCF_EVENTS.prepare(
    `SELECT position, events FROM ${table} WHERE aggregate_id = ? ORDER BY first_version`,
  )
    .bind(aggregateId)
    .all<{ position: number; events: string }>();
  return results.flatMap((row) =>
    (JSON.parse(row.events) as Array<{ id: string; version: number }>).map((event, index) => ({
      id: event.id,
      version: event.version,
      position: row.position + index,
    })),
  );
}

/** Messages the test worker's queue consumer received for an aggregate. */
export async function queuedEvents(
  aggregateId: string,
): Promise<Array<{ event_id: string; version: number; position: number | null }>> {
  const { results } = await testEnv.ESCF_EVENTS.prepare(
    'SELECT event_id, version, position FROM test_queue_log WHERE aggregate_id = ? ORDER BY version',
  )
    .bind(aggregateId)
    .all<{ event_id: string; version: number; position: number | null }>();
  return results;
}

/** Polls until `check` returns true (queues deliver asynchronously, ~1 s locally). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  await pollUntil(check, { timeoutMs });
}
