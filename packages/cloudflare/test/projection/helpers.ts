// Helpers shared by the projection and process integration tests.
import { env } from 'cloudflare:workers';
import type { EventEnvelope } from '@escf/core';
import { newId } from '@escf/core/internal';
import { eventually as pollUntil } from '@escf/testing';
import { aggregateClients, D1EventStore, projectionClients } from '../../src/index.js';
import { Counter } from './counter-domain.js';
import type { Tally } from './tally-projection.js';
import type { Env } from './worker.js';

export const testEnv = env as unknown as Env;

/** The tally projections' queries, as other workers call them: values back, ESCF errors thrown. */
export const tallies = () => projectionClients<{ TALLY: Tally; TALLY_BG: Tally; TALLY_LEDGER: Tally }>(testEnv);
export const store = () => new D1EventStore(testEnv.ESCF_EVENTS);

export const counters = aggregateClients({
  counter: { aggregate: Counter, binding: 'COUNTER_AGGREGATE' },
  syncCounter: { aggregate: Counter, binding: 'SYNC_COUNTER_AGGREGATE' },
  blueGreenCounter: { aggregate: Counter, binding: 'BLUE_GREEN_COUNTER_AGGREGATE' },
  ledgerCounter: { aggregate: Counter, binding: 'LEDGER_COUNTER_AGGREGATE' },
});

let n = 0;
/** Storage is shared across the run: every test uses fresh aggregate ids. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${++n}`;
}

/** A stored-shape envelope of the Counter aggregate. */
export function envelope(
  aggregateId: string,
  version: number,
  type: string,
  payload: object,
  schemaVersion = 1,
): EventEnvelope {
  const id = newId();
  return {
    id,
    aggregateType: 'Counter',
    aggregateId,
    version,
    type,
    schemaVersion,
    payload,
    timestamp: Date.now(),
    metadata: { correlationId: `corr-${aggregateId}`, causationId: id },
  };
}

/** Appends events to the D1 log and returns them with their global positions. */
export async function appendToLog(aggregateId: string, events: EventEnvelope[]): Promise<EventEnvelope[]> {
  const stream = { aggregateType: 'Counter', aggregateId };
  await store().append(stream, events, { expectedVersion: events[0]!.version - 1 });
  return store().readStream(stream, { fromVersion: events[0]!.version });
}

/** Polls until `check` returns a truthy value, or fails after `timeoutMs` (see @escf/testing's `eventually`). */
export function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  return pollUntil(check, { timeoutMs, what });
}

/** The read model computed straight from the log: what any correct projection must hold. */
export async function modelFromLog(): Promise<Array<{ id: string; total: number; history: string }>> {
  const rows = new Map<string, { id: string; total: number; history: string[] }>();
  for (let after = 0; ; ) {
    const batch = await store().readAll({ after, limit: 500 });
    if (batch.length === 0) break;
    for (const e of batch) {
      if (e.type !== 'Counted' && e.type !== 'Poked' && e.type !== 'Measured') continue;
      const row = rows.get(e.aggregateId) ?? { id: e.aggregateId, total: 0, history: [] };
      if (e.type === 'Counted') {
        const payload = e.payload as { by?: number; amount?: number };
        row.total += payload.by ?? payload.amount ?? 0;
        row.history.push(String(e.version));
      } else if (e.type === 'Measured') {
        const payload = e.payload as { value?: number; amount?: number };
        row.total += payload.amount ?? payload.value ?? 0;
        row.history.push(`${e.version}m`);
      } else row.history.push(`${e.version}p`);
      rows.set(e.aggregateId, row);
    }
    after = batch.at(-1)!.position!;
  }
  return [...rows.values()]
    .map((r) => ({ id: r.id, total: r.total, history: r.history.join(',') }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}
