// The worker the reliability suite attacks: Account aggregates as Durable
// Objects, an HTTP API built with @escf/hono's route helpers in front of them,
// and the Ledger projection (queue consumer, dead-letter consumer and RPC
// queries) as the default entrypoint, which also serves the HTTP API.
import type { D1Migration } from 'cloudflare:test';
import {
  aggregateClients,
  durableObjectFor,
  projectionClients,
  projectionEntrypoint,
  UniqueValueClaims,
} from '@escf/cloudflare';
import { durableObjectName, unwrapReply } from '@escf/cloudflare/internal';
import { type Principal, Unauthorized } from '@escf/core';
import { bearerToken, escfErrors, escfMiddleware, escfNotFound, readJson, resource } from '@escf/hono';
import { type Context, Hono } from 'hono';
import { Account } from './account-domain.js';
import { Ledger } from './ledger-projection.js';
import { Member } from './member-domain.js';

/** The event-store shard databases of {@link ShardedAccountAggregate}, shard 0 first. */
const EVENT_STORE_SHARDS = ['ESCF_EVENTS', 'ESCF_EVENTS_1', 'ESCF_EVENTS_2', 'ESCF_EVENTS_3'] as const;

/** Publishes to the ledger's queue (events ≤ 128 KB); retries a failed drain quickly so crash tests converge. */
export const AccountAggregate = durableObjectFor(Account, {
  queues: ['LEDGER_QUEUE'],
  outbox: { retryBaseMs: 50, retryMaxMs: 500 },
});
/** The same, over an event store of four D1 shards (the sharded exactly-once checks). */
export const ShardedAccountAggregate = durableObjectFor(Account, {
  queues: ['LEDGER_QUEUE'],
  outbox: { retryBaseMs: 50, retryMaxMs: 500 },
  eventStore: { shards: EVENT_STORE_SHARDS },
});
/** Publishes nowhere but D1 (events ≤ 1 MiB): the row-size limit. */
export const LocalAccountAggregate = durableObjectFor(Account);

/** Members claim their email in UNIQUE_VALUES; publishes to D1 only. */
export const MemberAggregate = durableObjectFor(Member, {
  uniqueness: { claims: 'UNIQUE_VALUES', owner: 'MEMBER_AGGREGATE' },
  encryptSensitive: true,
  outbox: { retryBaseMs: 50, retryMaxMs: 500 },
});
export { UniqueValueClaims };

export const LedgerProjection = projectionEntrypoint(Ledger, {
  maxRetries: 2,
  retryDelaySeconds: 0,
  deadLetterQueue: 'ledger-dlq',
});

export interface Env {
  ACCOUNT_AGGREGATE: DurableObjectNamespace<InstanceType<typeof AccountAggregate>>;
  LOCAL_ACCOUNT_AGGREGATE: DurableObjectNamespace<InstanceType<typeof LocalAccountAggregate>>;
  MEMBER_AGGREGATE: DurableObjectNamespace<InstanceType<typeof MemberAggregate>>;
  UNIQUE_VALUES: DurableObjectNamespace<UniqueValueClaims>;
  SHARDED_ACCOUNT_AGGREGATE: DurableObjectNamespace<InstanceType<typeof ShardedAccountAggregate>>;
  ESCF_EVENTS: D1Database;
  ESCF_EVENTS_1: D1Database;
  ESCF_EVENTS_2: D1Database;
  ESCF_EVENTS_3: D1Database;
  LEDGER_DB: D1Database;
  LEDGER_QUEUE: Queue;
  LEDGER: Service<InstanceType<typeof LedgerProjection>>;
  TEST_MIGRATIONS: D1Migration[];
}

export const accounts = aggregateClients({
  account: { aggregate: Account, binding: 'ACCOUNT_AGGREGATE' },
  localAccount: { aggregate: Account, binding: 'LOCAL_ACCOUNT_AGGREGATE' },
  shardedAccount: { aggregate: Account, binding: 'SHARDED_ACCOUNT_AGGREGATE' },
  member: { aggregate: Member, binding: 'MEMBER_AGGREGATE' },
});

type App = { Bindings: Env };
const tenantOf = (c: Context<App>) => c.req.param('tenant')!;
const idOf = (c: Context<App>) => c.req.param('id')!;

/** Every route carries the tenant; the client it uses is scoped to that tenant. */
export function httpApi(): Hono<App> {
  const app = new Hono<App>();
  app.use(escfMiddleware<App>({ authenticate: (c) => principalOfToken(bearerToken(c)) }));
  app.onError(escfErrors());
  app.notFound(escfNotFound());
  resource(app, Account, { client: (c, id) => accounts(c.env, { tenantId: tenantOf(c) }).account(id) })
    // Location deliberately unencoded: an id the header cannot carry must be refused before the write.
    .command('post', '/t/:tenant/accounts/:id/open', 'open', { status: 201, location: (id) => `/accounts/${id}` })
    .command('post', '/t/:tenant/accounts/:id/email', 'setEmail')
    .command('post', '/t/:tenant/accounts/:id/deposit', 'deposit')
    .command('post', '/t/:tenant/accounts/:id/freeze', 'freeze')
    .command('post', '/t/:tenant/accounts/:id/poke', 'poke')
    // Bodies up to 4 MiB reach the aggregate, so the event size limit (not the body limit) must answer.
    .command('post', '/t/:tenant/accounts/:id/note', 'note', { maxBodyBytes: 4 << 20 });
  resource(app, Account, { client: (c, id) => accounts(c.env, { tenantId: tenantOf(c) }).localAccount(id) }).command(
    'post',
    '/t/:tenant/local-accounts/:id/note',
    'note',
    { maxBodyBytes: 4 << 20 },
  );
  // Any command name from the path: unknown ones must be refused by the aggregate host.
  app.post('/t/:tenant/accounts/:id/commands/:command', async (c) => {
    const input = await readJson(c);
    const address = { tenantId: tenantOf(c), aggregateId: idOf(c) };
    const stub = c.env.ACCOUNT_AGGREGATE.get(c.env.ACCOUNT_AGGREGATE.idFromName(durableObjectName(address)));
    const result = unwrapReply(await stub.execute({ address, command: c.req.param('command')!, input })) as {
      version: number;
    };
    return c.json({ version: result.version });
  });
  app.get('/t/:tenant/accounts/:id', async (c) =>
    c.json(await accounts(c.env, { tenantId: tenantOf(c) }).account.state(idOf(c))),
  );
  app.get('/t/:tenant/ledger/:id', async (c) =>
    c.json(await projectionClients<{ LEDGER: Ledger }>(c.env).LEDGER.account(tenantOf(c), idOf(c))),
  );
  return app;
}

/** The suite's stand-in for a session store: fixed tokens → principals. */
const PRINCIPALS: Record<string, Principal> = {
  'token-ada': { id: 'Ada', scopes: ['accounts:write'] },
  'token-ada-readonly': { id: 'Ada', scopes: [] },
  'token-bob': { id: 'Bob', scopes: ['accounts:write'] },
  'token-auditor': { id: 'audit-1', roles: ['auditor'], scopes: ['accounts:write'] },
  'token-ada-elsewhere': { id: 'Ada', scopes: ['accounts:write'], tenantId: 'another-tenant' },
};

function principalOfToken(token: string | undefined): Principal | undefined {
  if (token === undefined) return undefined;
  const principal = PRINCIPALS[token];
  if (!principal) throw new Unauthorized('Unknown token');
  return principal;
}

const app = httpApi();

/** The ledger projection, also answering HTTP with the API above. */
export default class ReliabilityWorker extends LedgerProjection {
  override async fetch(request: Request): Promise<Response> {
    return app.fetch(request, this.env as Env, this.ctx);
  }
}
