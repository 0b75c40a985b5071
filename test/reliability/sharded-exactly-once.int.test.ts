// The exactly-once checks over a sharded event store: Account aggregates whose
// outbox appends to one of four D1 shards (chosen by a stable hash of the
// stream). Crashes between the outbox's writes and concurrent commands on many
// aggregates must leave every event in exactly one shard, exactly once, in
// version order, and in the ledger projection exactly once.
import { abortAllDurableObjects } from 'cloudflare:test';
import type { AggregateAddress } from '@escf/cloudflare';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type FaultPoint, setFaultHookForTests } from '../../packages/cloudflare/src/aggregate/fault-points.js';
import { Figures } from './figures.js';
import { accountStub, accounts, doEvents, eventually, ledgerRow, testEnv, uniqueId, versions } from './helpers.js';

const figures = new Figures('sharded event store (4 D1 shards)');
afterAll(() => figures.print());
afterEach(() => setFaultHookForTests(null));

const SHARDS = () => [testEnv.ESCF_EVENTS, testEnv.ESCF_EVENTS_1, testEnv.ESCF_EVENTS_2, testEnv.ESCF_EVENTS_3];

/** The address's events in each shard (ids in position order). */
async function eventsPerShard(address: AggregateAddress): Promise<string[][]> {
  return Promise.all(
    SHARDS().map(async (db) => {
      const { results } = await db
        .prepare(
          "SELECT events FROM escf_events WHERE tenant_id = ? AND aggregate_type = 'Account' AND aggregate_id = ? ORDER BY position",
        )
        .bind(address.tenantId ?? '', address.aggregateId)
        .all<{ events: string }>();
      return results.flatMap((row) => (JSON.parse(row.events) as Array<{ id: string }>).map((event) => event.id));
    }),
  );
}

/** Waits until one shard and the ledger hold versions 1..expected, then checks exactly once everywhere. */
async function expectConvergedInOneShard(address: AggregateAddress, expected: number): Promise<number> {
  const local = await doEvents(accountStub(address, 'SHARDED_ACCOUNT_AGGREGATE'));
  expect(local.map((e) => e.version)).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
  await eventually(
    async () =>
      (await eventsPerShard(address)).flat().length >= expected &&
      (await ledgerRow(address))?.history.split(',').length === expected,
    `convergence of ${address.aggregateId}`,
    20_000,
  ).catch(() => undefined);
  const perShard = await eventsPerShard(address);
  const holding = perShard.map((ids, shard) => ({ ids, shard })).filter(({ ids }) => ids.length > 0);
  expect(holding).toHaveLength(1); // a stream never spans shards
  expect(holding[0]!.ids).toEqual(local.map((e) => e.id)); // each event once, in version order
  expect((await ledgerRow(address))?.history).toBe(versions(expected));
  return holding[0]!.shard;
}

const OUTBOX_POINTS: Array<[FaultPoint, string?]> = [
  ['outbox:d1-appended'],
  ['outbox:d1-recorded'],
  ['outbox:published', 'queue:LEDGER_QUEUE'],
];

describe('a crash during an outbox drain into a sharded store', () => {
  for (const [point, target] of OUTBOX_POINTS) {
    it(`at ${point}${target ? ` (${target})` : ''}: the next drain stores nothing twice, in the stream's shard`, async () => {
      const address = { tenantId: 'sharded-crash', aggregateId: uniqueId(`drain-${point}`) };
      const account = () => accounts(testEnv, { tenantId: address.tenantId }).shardedAccount(address.aggregateId);
      let fired = false;
      setFaultHookForTests((at, detail) => {
        if (fired || at !== point || (target !== undefined && detail.target !== target)) return;
        fired = true;
        throw new Error(`injected crash at ${point}`);
      });
      await account().deposit({ amount: 1, memo: '' });
      await account().deposit({ amount: 2, memo: '' });
      await eventually(async () => fired, `the crash at ${point}`, 10_000);
      await abortAllDurableObjects();
      setFaultHookForTests(null);
      await account().deposit({ amount: 4, memo: '' });
      const shard = await expectConvergedInOneShard(address, 3);
      figures.add({
        scenario: `outbox, ${point} (shard ${shard})`,
        tried: 3,
        faults: 1,
        eventsVerified: 3,
        lost: 0,
        duplicated: 0,
      });
    });
  }
});

describe('many aggregates at once over four shards', () => {
  it('every accepted event is in exactly one shard, exactly once, and in the ledger exactly once', async () => {
    const tenantId = 'sharded-load';
    const addresses = Array.from({ length: 24 }, (_, i) => ({ tenantId, aggregateId: uniqueId(`load-${i}`) }));
    const client = accounts(testEnv, { tenantId });
    await Promise.all(
      addresses.map(async (address) => {
        for (let i = 0; i < 3; i++) await client.shardedAccount(address.aggregateId).deposit({ amount: 1, memo: '' });
      }),
    );
    const shards = await Promise.all(addresses.map((address) => expectConvergedInOneShard(address, 3)));
    // The stable hash spreads 24 streams over more than one shard.
    expect(new Set(shards).size).toBeGreaterThan(1);
    figures.add({
      scenario: `24 aggregates × 3 commands (${new Set(shards).size} shards used)`,
      tried: 72,
      eventsVerified: 72,
      lost: 0,
      duplicated: 0,
    });
  });
});
