import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { AdminRpc } from '../../src/admin/index.js';
import { aggregateClients, ShardedD1EventStore } from '../../src/index.js';
import { unwrapReply } from '../../src/internal.js';
import { Counter } from '../projection/counter-domain.js';
import type { Env } from './worker.js';

// The admin entrypoint over an event store of two D1 databases: a Counter's
// stream lives in one of them (by hash), and positions are per database.
const testEnv = env as unknown as Env;
const read = { token: testEnv.ESCF_ADMIN_READ_TOKEN, actor: 'reader@test' };
const admin = testEnv.SHARDED_ADMIN as unknown as AdminRpc & Fetcher;
const counters = aggregateClients({ counter: { aggregate: Counter, binding: 'SHARDED_COUNTER' } });
const shards = [testEnv.SHARD_0, testEnv.SHARD_1];

let n = 0;
const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++n}`;

/** The shard database that holds the stream, read from the databases themselves. */
async function shardHolding(id: string): Promise<number> {
  const found = await Promise.all(
    shards.map((db) =>
      db
        .prepare("SELECT COUNT(*) AS n FROM escf_events WHERE aggregate_type = 'Counter' AND aggregate_id = ?")
        .bind(id)
        .first<{ n: number }>(),
    ),
  );
  const holding = found.flatMap((row, shard) => (row!.n > 0 ? [shard] : []));
  expect(holding).toHaveLength(1);
  return holding[0]!;
}

async function shardHeads(): Promise<number[]> {
  return Promise.all(
    shards.map(
      async (db) =>
        (await db
          .prepare('SELECT COALESCE(MAX(position + event_count - 1), 0) AS head FROM escf_events')
          .first<{ head: number }>())!.head,
    ),
  );
}

describe('admin entrypoint over a sharded event store (2 D1 databases)', () => {
  it('lists the instances of every shard, each with its shard and that shard’s position', async () => {
    const prefix = uniqueId('list');
    const ids = Array.from({ length: 8 }, (_, i) => `${prefix}-${i}`);
    for (const [i, id] of ids.entries()) {
      for (let k = 0; k <= i % 3; k++) await counters(testEnv, { sync: [] }).counter(id).count({ by: 1 });
    }
    const holders = await Promise.all(ids.map(shardHolding));
    expect(new Set(holders)).toEqual(new Set([0, 1])); // the 8 streams landed in both databases

    const { instances } = unwrapReply(
      await admin.instances(read, { aggregateType: 'Counter', aggregateId: `${prefix}*` }),
    );
    expect(instances.map((i) => i.aggregateId).sort()).toEqual([...ids].sort());
    for (const [i, id] of ids.entries()) {
      const instance = instances.find((x) => x.aggregateId === id)!;
      expect(instance).toMatchObject({ version: (i % 3) + 1, shard: holders[i] });
      const last = await shards[holders[i]!]!.prepare(
        'SELECT MAX(position + event_count - 1) AS p FROM escf_events WHERE aggregate_id = ?',
      )
        .bind(id)
        .first<{ p: number }>();
      expect(instance.lastPosition).toBe(last!.p);
    }
    // Newest first across shards: by the time of each stream's last event.
    const times = instances.map((i) => i.lastEventAt!);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // The limit holds over the merged list.
    const limited = unwrapReply(
      await admin.instances(read, { aggregateType: 'Counter', aggregateId: `${prefix}*`, limit: 3 }),
    );
    expect(limited.instances).toHaveLength(3);

    // A stream is read from its own shard.
    const page = unwrapReply(await admin.stream(read, { aggregateType: 'Counter', aggregateId: ids[2]! }));
    expect(page).toMatchObject({ head: 3, events: [{ version: 1 }, { version: 2 }, { version: 3 }] });
  });

  it('reports a head per shard, and the log head as their sum', async () => {
    await counters(testEnv, { sync: [] }).counter(uniqueId('head')).count({ by: 2 });
    const heads = await shardHeads();
    const reply = unwrapReply(await admin.projections(read));
    expect(reply.shardHeads).toEqual(heads);
    expect(reply.logHead).toBe(heads[0]! + heads[1]!);
    const tail = unwrapReply(await admin.tailEvents(read));
    expect(tail).toEqual({ head: heads[0]! + heads[1]!, shardHeads: heads, events: [] });
  });

  it('tails every shard from one position per shard, over RPC and as server-sent events', async () => {
    const { shardHeads: after } = unwrapReply(await admin.tailEvents(read));
    const prefix = uniqueId('tail');
    const ids = Array.from({ length: 6 }, (_, i) => `${prefix}-${i}`);
    for (const id of ids) await counters(testEnv, { sync: [] }).counter(id).count({ by: 5 });
    const holders = await Promise.all(ids.map(shardHolding));
    expect(new Set(holders)).toEqual(new Set([0, 1]));

    const page = unwrapReply(await admin.tailEvents(read, { after: after!, limit: 100 }));
    expect(page.events.map((e) => e.aggregateId).sort()).toEqual([...ids].sort());
    for (const event of page.events) expect(event.shard).toBe(holders[ids.indexOf(event.aggregateId)]);
    // A single position cannot say where to resume in two logs.
    expect(await admin.tailEvents(read, { after: 0 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });

    const response = await admin.fetch(`http://admin/tail/stream?after=${after!.join('.')}`, {
      headers: { authorization: `Bearer ${read.token}` },
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while ((text.match(/event: event/g) ?? []).length < ids.length) text += (await reader.read()).value ?? '';
    await reader.cancel();
    for (const id of ids) expect(text).toContain(id);
    // Each message id is the cursor to resume from: one position per shard.
    const lastId = [...text.matchAll(/^id: (.+)$/gm)].at(-1)![1]!;
    expect(lastId.split('.').map(Number)).toEqual(await shardHeads());
  });

  it('counts a projection’s lag in each shard after that shard’s applied position: exact with one shard behind', async () => {
    const prefix = uniqueId('lag');
    const ids = Array.from({ length: 8 }, (_, i) => `${prefix}-${i}`);
    for (const [i, id] of ids.entries()) {
      for (let k = 0; k <= i % 2; k++) await counters(testEnv, { sync: [] }).counter(id).count({ by: 1 });
    }
    expect(new Set(await Promise.all(ids.map(shardHolding)))).toEqual(new Set([0, 1]));

    // The sharded Counter has no subscriber: deliver one shard's whole log by hand, none of the other's.
    const store = new ShardedD1EventStore(shards);
    const logOf = (shard: number) => store.readShard(shard, { after: 0, limit: 10_000 });
    const heads = await shardHeads();
    // The shard with the higher head is applied: a merged log read after its position finds nothing of the other.
    const ahead = heads[0]! >= heads[1]! ? 0 : 1;
    const behind = 1 - ahead;
    const sharded = testEnv.SHARDED_TALLY as unknown as { deliver(events: unknown[]): Promise<{ applied: number }> };
    const aheadLog = await logOf(ahead);
    expect((await sharded.deliver(aheadLog)).applied).toBe(aheadLog.length);

    const behindLog = await logOf(behind);
    const counted = (events: readonly { type: string }[]) => events.filter((e) => e.type === 'Counted').length;
    const lagOf = async () =>
      unwrapReply(await admin.projections(read)).projections.find((p) => p.name === 'sharded-tally')!;
    let tally = await lagOf();
    expect(tally.status!.shardPositions![ahead]).toBe(heads[ahead]);
    expect(tally.status!.shardPositions![behind]).toBe(0);
    expect(tally.lagEvents).toBe(counted(behindLog));
    expect(tally.lagEvents).toBeGreaterThan(0);
    expect(tally.shards![ahead]).toEqual({ position: heads[ahead], lagEvents: 0 });
    expect(tally.shards![behind]).toEqual({ position: 0, lagEvents: counted(behindLog) });
    expect(tally.lagMs).toBeGreaterThanOrEqual(0);

    // Half of the behind shard applied: the lag is exactly what remains there.
    const half = behindLog.slice(0, Math.floor(behindLog.length / 2));
    await sharded.deliver(half);
    tally = await lagOf();
    expect(tally.shards![behind]).toEqual({
      position: half.at(-1)!.position,
      lagEvents: counted(behindLog) - counted(half),
    });
    expect(tally.lagEvents).toBe(counted(behindLog) - counted(half));

    await sharded.deliver(behindLog);
    tally = await lagOf();
    expect(tally).toMatchObject({ lagEvents: 0, lagMs: 0 });
    expect(tally.status!.shardPositions).toEqual(heads);
  });
});
