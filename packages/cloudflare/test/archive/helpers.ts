// Shared helpers of the archive tests.

import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { EventEnvelope } from '@escf/core';
import type { EventStore, StreamId } from '@escf/core/store';
import { makeEvents } from '@escf/testing/conformance';
import { applyD1EventStoreSchema } from '../../src/internal.js';
import type { Env } from './worker.js';

export const testEnv = env as unknown as Env;

let tables = 0;
/** A fresh event table per test (storage is shared across the run). */
export async function freshTable(prefix = 'arch'): Promise<string> {
  tables += 1;
  const table = `${prefix}_${Date.now().toString(36)}_${tables}_${Math.random().toString(36).slice(2, 6)}`;
  await applyD1EventStoreSchema(testEnv.ESCF_EVENTS, table);
  return table;
}

export const DAY = 24 * 60 * 60 * 1000;

/** Appends `count` one-event batches to a stream, each `timestamp` ms (or a function of the version). */
export async function appendOneByOne(
  store: EventStore,
  stream: StreamId,
  count: number,
  timestamp: (version: number) => number,
  type = 'Tested',
): Promise<EventEnvelope[]> {
  const all: EventEnvelope[] = [];
  for (let version = 1; version <= count; version++) {
    const [event] = makeEvents(stream, version, 1, type).map((e) => ({ ...e, timestamp: timestamp(version) }));
    await store.append(stream, [event!], { expectedVersion: version - 1 });
    all.push(event!);
  }
  return all;
}

/** Appends the next one-event batch (version `version`) to a stream. */
appendOneByOne.next = async (
  store: EventStore,
  stream: StreamId,
  version: number,
  timestamp = 1_700_000_000_000 + version,
): Promise<EventEnvelope> => {
  const [event] = makeEvents(stream, version, 1).map((e) => ({ ...e, timestamp }));
  await store.append(stream, [event!], { expectedVersion: version - 1 });
  return event!;
};

/** Every event of the log, paging readAll. */
export async function readWholeLog(store: EventStore, pageSize = 7): Promise<EventEnvelope[]> {
  const seen: EventEnvelope[] = [];
  for (let after = 0; ; ) {
    const page = await store.readAll({ after, limit: pageSize });
    if (page.length === 0) return seen;
    seen.push(...page);
    after = page.at(-1)!.position!;
  }
}

/** The segment objects in the bucket under a prefix. */
export async function segmentKeys(prefix: string): Promise<string[]> {
  const listing = await testEnv.ESCF_ARCHIVE.list({ prefix: `${prefix}segments/` });
  return listing.objects.map((o) => o.key);
}

/** D1 rows of a table. */
export async function d1RowCount(table: string): Promise<number> {
  return (await testEnv.ESCF_EVENTS.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())!.n;
}

/** Runs `read` on the SQLite of a Durable Object of `namespace` (named `id`), inside that object. */
export function inDurableObjectSql<T>(
  namespace: DurableObjectNamespace,
  id: string,
  read: (sql: SqlStorage) => T,
): Promise<T> {
  const inObject = runInDurableObject as unknown as (
    stub: unknown,
    callback: (instance: unknown, state: DurableObjectState) => T,
  ) => Promise<T>;
  return inObject(namespace.get(namespace.idFromName(id)), (_, state) => read(state.storage.sql));
}

/** Events an aggregate's Durable Object still holds in its own storage. */
export function localEventCount(namespace: DurableObjectNamespace<any>, id: string): Promise<number> {
  return inDurableObjectSql(
    namespace,
    id,
    (sql) => sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM escf_events').one().n,
  );
}

/** Makes an aggregate's snapshot look written by other code, so that its next load cannot use it. */
export function invalidateSnapshot(namespace: DurableObjectNamespace<any>, id: string): Promise<void> {
  return inDurableObjectSql(namespace, id, (sql) => {
    sql.exec(`UPDATE escf_snapshot SET fingerprint = 'old-code', state = '{"balance":-1,"entries":0}'`);
  });
}
