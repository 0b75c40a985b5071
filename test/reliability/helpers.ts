// Shared helpers of the reliability suite: clients, storage probes in every
// place an event can live (DO SQLite, D1, the ledger), and polling.
import { runInDurableObject } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import type { AggregateAddress } from '@escf/cloudflare';
import { durableObjectName } from '@escf/cloudflare/internal';
import { eventually as pollUntil } from '@escf/testing';
import type { LedgerRow } from './ledger-projection.js';
import { accounts, type Env } from './worker.js';

export const testEnv = env as unknown as Env;
export { accounts };

let n = 0;
/** Storage is shared by every test of a file: each test uses fresh ids. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${++n}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Sends a request to the worker's HTTP API (the default entrypoint's fetch). */
export function http(path: string, init: RequestInit = {}): Promise<Response> {
  const self = (exports as unknown as { default: Fetcher }).default;
  return self.fetch(new Request(`https://api.test${path}`, init));
}

/** The Durable Object stub of an Account address. */
export function accountStub(
  address: AggregateAddress,
  binding: 'ACCOUNT_AGGREGATE' | 'LOCAL_ACCOUNT_AGGREGATE' | 'SHARDED_ACCOUNT_AGGREGATE' = 'ACCOUNT_AGGREGATE',
): DurableObjectStub {
  const namespace = testEnv[binding] as unknown as DurableObjectNamespace;
  return namespace.get(namespace.idFromName(durableObjectName(address)));
}

/** `runInDurableObject` with the object's state only. */
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

/** Event ids and versions in an object's own SQLite, in version order. */
export function doEvents(stub: DurableObjectStub): Promise<Array<{ id: string; version: number; payload: string }>> {
  return inObject(stub, (state) =>
    // An object that never stored anything has no tables at all.
    state.storage.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'escf_events'").toArray()
      .length === 0
      ? []
      : state.storage.sql
          .exec<{ id: string; version: number; payload: string }>(
            'SELECT id, version, payload FROM escf_events ORDER BY version',
          )
          .toArray(),
  );
}

export interface D1Event {
  readonly id: string;
  readonly version: number;
  readonly position: number;
  readonly tenantId: string;
  readonly aggregateId: string;
}

/** Events in the D1 log matching a SQL condition on the batch rows, flattened. */
export async function d1EventsWhere(where: string, ...params: unknown[]): Promise<D1Event[]> {
  const { results } = await testEnv.ESCF_EVENTS.prepare(
    `SELECT position, tenant_id, aggregate_id, events FROM escf_events WHERE ${where} ORDER BY position`,
  )
    .bind(...params)
    .all<{ position: number; tenant_id: string; aggregate_id: string; events: string }>();
  return results.flatMap((row) =>
    (JSON.parse(row.events) as Array<{ id: string; version: number }>).map((event, index) => ({
      id: event.id,
      version: event.version,
      position: row.position + index,
      tenantId: row.tenant_id,
      aggregateId: row.aggregate_id,
    })),
  );
}

/** D1 events of one aggregate address. */
export function d1Events(address: AggregateAddress): Promise<D1Event[]> {
  return d1EventsWhere(
    "tenant_id = ? AND aggregate_type = 'Account' AND aggregate_id = ?",
    address.tenantId ?? '',
    address.aggregateId,
  );
}

/** The ledger row of an address, straight from the projection's database. */
export async function ledgerRow(address: AggregateAddress): Promise<LedgerRow | null> {
  return testEnv.LEDGER_DB.prepare(
    'SELECT tenant, account, owner, total, history FROM ledger WHERE tenant = ? AND account = ?',
  )
    .bind(address.tenantId ?? '', address.aggregateId)
    .first<LedgerRow>();
}

/** "1,2,…,n": the history of a ledger row that applied versions 1..n once each, in order. */
export function versions(n: number): string {
  return Array.from({ length: n }, (_, i) => String(i + 1)).join(',');
}

/** Polls until `check` returns a truthy value, or fails after `timeoutMs` naming `what`. */
export function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  return pollUntil(check, { timeoutMs, what });
}
