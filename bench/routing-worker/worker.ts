// The bank's Account aggregate hosted twice: with the routes `escf generate`
// wrote for the bank (its generated entry module) and without routes (every
// event to every subscriber, as before). Queue consumers and the synchronous
// subscriber count what they receive in D1, so bench/routing.mjs can compare
// messages per command.
import { WorkerEntrypoint } from 'cloudflare:workers';
import { aggregateClients, durableObjectFor } from '@escf/cloudflare';
import { applyD1EventStoreSchema } from '@escf/cloudflare/internal';
import { Account } from '../../examples/bank/src/domain/index.js';
import { AccountAggregate } from '../../examples/bank/workers/api/src/escf.generated.js';

const QUEUES = ['STATEMENTS_QUEUE', 'TRANSFERS_QUEUE', 'LARGE_WITHDRAWALS_QUEUE'];

export const RoutedAccount = AccountAggregate;
export const UnroutedAccount = durableObjectFor(Account, { queues: QUEUES, services: ['BALANCES'] });

interface Env {
  ESCF_EVENTS: D1Database;
  ROUTED_ACCOUNT: DurableObjectNamespace;
  UNROUTED_ACCOUNT: DurableObjectNamespace;
}

const accounts = aggregateClients({
  routed: { aggregate: Account, binding: 'ROUTED_ACCOUNT' },
  unrouted: { aggregate: Account, binding: 'UNROUTED_ACCOUNT' },
});

const COUNTS =
  'CREATE TABLE IF NOT EXISTS bench_counts (target TEXT NOT NULL, aggregate_id TEXT NOT NULL, n INTEGER NOT NULL)';

async function count(env: Env, target: string, ids: readonly string[]): Promise<void> {
  await env.ESCF_EVENTS.batch(
    ids.map((id) => env.ESCF_EVENTS.prepare('INSERT INTO bench_counts VALUES (?, ?, 1)').bind(target, id)),
  );
}

/** Stands in for the balances projection: the synchronous subscriber. */
export class CountingSubscriber extends WorkerEntrypoint<Env> {
  async deliver(events: Array<{ aggregateId: string }>): Promise<void> {
    await count(
      this.env,
      'service:BALANCES',
      events.map((e) => e.aggregateId),
    );
  }
}

export default {
  async queue(batch: MessageBatch<{ aggregateId: string }>, env: Env): Promise<void> {
    await count(
      env,
      `queue:${batch.queue}`,
      batch.messages.map((m) => m.body.aggregateId),
    );
    batch.ackAll();
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    await applyD1EventStoreSchema(env.ESCF_EVENTS);
    await env.ESCF_EVENTS.prepare(COUNTS).run();
    if (url.pathname === '/run') {
      // One account's life in the bank: open, activate, two deposits, a large and a small withdrawal.
      const mode = url.searchParams.get('mode') === 'routed' ? 'routed' : 'unrouted';
      const id = `${mode}-${url.searchParams.get('run')}`;
      const account = accounts(env, { sync: true })[mode](id);
      let events = 0;
      for (const run of [
        () => account.open({ owner: 'Ada', currency: 'EUR' }),
        () => account.activate({}),
        () => account.deposit({ amount: 50_000, reference: 'salary' }),
        () => account.deposit({ amount: 2_000, reference: 'refund' }),
        () => account.withdraw({ amount: 20_000, reference: 'car' }),
        () => account.withdraw({ amount: 300, reference: 'lunch' }),
      ])
        events += (await run()).events.length;
      return Response.json({ id, commands: 6, events });
    }
    if (url.pathname === '/counts') {
      const { results } = await env.ESCF_EVENTS.prepare(
        'SELECT target, SUM(n) AS n FROM bench_counts WHERE aggregate_id = ? GROUP BY target',
      )
        .bind(url.searchParams.get('id'))
        .all<{ target: string; n: number }>();
      return Response.json(Object.fromEntries(results.map((r) => [r.target, r.n])));
    }
    return new Response('not found', { status: 404 });
  },
};
