// The one check every fault scenario ends with: an aggregate's events are in
// its own SQLite, in D1 and in the ledger exactly once, in version order.
import type { AggregateAddress } from '@escf/cloudflare';
import { expect } from 'vitest';
import { accountStub, d1Events, doEvents, eventually, ledgerRow, versions } from './helpers.js';

/** What {@link expectConverged} saw: the counts a figures table reports. */
export interface Convergence {
  readonly events: number;
  readonly lost: number;
  readonly duplicated: number;
}

/**
 * Waits until D1 and the ledger hold versions 1..`expected` of the address
 * (every event a Deposited, Opened or Poked the ledger records), then checks
 * that the ids match the object's own events one to one.
 */
export async function expectConverged(
  address: AggregateAddress,
  expected: number,
  timeoutMs = 20_000,
): Promise<Convergence> {
  const local = await doEvents(accountStub(address));
  expect(local.map((e) => e.version)).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
  await eventually(
    async () =>
      (await d1Events(address)).length >= expected &&
      (await ledgerRow(address))?.history.split(',').length === expected,
    `convergence of ${address.aggregateId}`,
    timeoutMs,
  ).catch(() => undefined);
  const stored = await d1Events(address);
  const row = await ledgerRow(address);
  const applied = row ? row.history.split(',').filter(Boolean) : [];
  const ids = new Set(stored.map((e) => e.id));
  const lost = local.filter((e) => !ids.has(e.id)).length + Math.max(0, expected - new Set(applied).size);
  const duplicated = stored.length - ids.size + (applied.length - new Set(applied).size);
  expect(stored.map((e) => e.id)).toEqual(local.map((e) => e.id));
  expect(row?.history).toBe(versions(expected));
  return { events: expected, lost, duplicated };
}
