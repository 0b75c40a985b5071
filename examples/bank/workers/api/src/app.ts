import { projectionClients } from '@escf/cloudflare';
import { CommandApi } from '@escf/hono';
import { Hono } from 'hono';
import { aggregates } from '../../../src/aggregates.js';
import { Account, Transfer } from '../../../src/domain/index.js';
import type { ApiEnv } from './api-env.js';
import { creationId } from './creation-id.js';
import type { EscfProjections } from './escf-env.generated.js';

/**
 * The bank's REST API: account and transfer commands (every one accepts an
 * `Idempotency-Key`), balances and statements from the projections, all
 * documented at `/openapi.json`. Account commands run with `sync: true`:
 * they answer once the balances projection has the events.
 */
const app = new Hono<ApiEnv>();
const api = new CommandApi(app);
const account = (env: ApiEnv['Bindings'], id: string) => aggregates(env, { sync: true }).account(id);
const byPath = {
  id: (c: { req: { param(name: 'id'): string } }) => c.req.param('id'),
  client: (c: { env: ApiEnv['Bindings'] }, id: string) => account(c.env, id),
};

api
  .command('post', '/accounts', {
    aggregate: Account,
    command: 'open',
    status: 201,
    id: creationId,
    client: (c, id) => account(c.env, id),
    location: (id) => `/accounts/${id}`,
    summary: 'Open an account (pending until activated)',
  })
  .command('post', '/accounts/:id/activate', {
    aggregate: Account,
    command: 'activate',
    ...byPath,
    summary: 'Activate a pending account',
  })
  .command('post', '/accounts/:id/deposits', {
    aggregate: Account,
    command: 'deposit',
    ...byPath,
    summary: 'Deposit money (minor units)',
  })
  .command('post', '/accounts/:id/withdrawals', {
    aggregate: Account,
    command: 'withdraw',
    ...byPath,
    summary: 'Withdraw money; 422 INSUFFICIENT_FUNDS if the balance does not cover it',
  })
  .command('post', '/accounts/:id/freeze', {
    aggregate: Account,
    command: 'freeze',
    ...byPath,
    summary: 'Freeze an account: no money moves until it is unfrozen',
  })
  .command('post', '/accounts/:id/unfreeze', {
    aggregate: Account,
    command: 'unfreeze',
    ...byPath,
    summary: 'Unfreeze an account',
  })
  .command('post', '/accounts/:id/close', {
    aggregate: Account,
    command: 'close',
    ...byPath,
    summary: 'Close an account with a zero balance',
  })
  .command('post', '/transfers', {
    aggregate: Transfer,
    command: 'request',
    status: 202,
    id: creationId,
    client: (c, id) => aggregates(c.env).transfer(id),
    location: (id) => `/transfers/${id}`,
    summary: 'Request a transfer between two accounts; a saga moves the money',
  })
  .document({
    method: 'get',
    path: '/accounts/:id',
    status: 200,
    summary: 'An account and its balance, from the balances projection',
  })
  .document({
    method: 'get',
    path: '/accounts/:id/statement',
    status: 200,
    summary: 'Movements of an account, from the statements projection',
  })
  .document({ method: 'get', path: '/transfers/:id', status: 200, summary: 'A transfer and its outcome' });

app.get('/accounts/:id', async (c) => {
  const balance = await projectionClients<EscfProjections>(c.env).BALANCES.balance(c.req.param('id'));
  return balance ? c.json({ ...balance }) : c.json({ error: { code: 'NOT_FOUND', message: 'No such account' } }, 404);
});
app.get('/accounts/:id/statement', async (c) =>
  c.json(await projectionClients<EscfProjections>(c.env).STATEMENTS.statement(c.req.param('id'))),
);
app.get('/transfers/:id', async (c) => {
  const { version, state } = await aggregates(c.env).transfer.state(c.req.param('id'));
  return version === 0
    ? c.json({ error: { code: 'NOT_FOUND', message: 'No such transfer' } }, 404)
    : c.json({ id: c.req.param('id'), ...state });
});
api.serveOpenApi('/openapi.json', { title: 'ESCF bank example', version: '1.0.0' });

export default app;
