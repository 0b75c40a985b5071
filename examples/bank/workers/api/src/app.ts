import { projectionClients } from '@escf/cloudflare';
import { NotFound } from '@escf/core';
import { escfErrors, escfMiddleware, escfNotFound, openApiHandler, resource } from '@escf/hono';
import { Hono } from 'hono';
import { aggregates } from '../../../src/aggregates.js';
import { Account, Transfer } from '../../../src/domain/index.js';
import type { ApiEnv } from './api-env.js';
import { creationId } from './creation-id.js';
import type { EscfProjections } from './escf-env.generated.js';

/**
 * The bank's REST API: account and transfer commands (every one accepts an
 * `Idempotency-Key`), balances and statements from the projections, all
 * documented at `/openapi.json`. Account commands run with `sync: 'balances'`:
 * they answer once the balances projection has the events.
 */
const app = new Hono<ApiEnv>();
app.use(escfMiddleware());
app.onError(escfErrors());
app.notFound(escfNotFound());

resource(app, Account, { client: (c, id) => aggregates(c.env, { sync: 'balances' }).account(id) })
  .command('post', '/accounts', 'open', {
    status: 201,
    id: creationId,
    location: (id) => `/accounts/${id}`,
    summary: 'Open an account (pending until activated)',
  })
  .command('post', '/accounts/:id/activate', 'activate', { summary: 'Activate a pending account' })
  .command('post', '/accounts/:id/deposits', 'deposit', { summary: 'Deposit money (minor units)' })
  .command('post', '/accounts/:id/withdrawals', 'withdraw', {
    summary: 'Withdraw money; 422 INSUFFICIENT_FUNDS if the balance does not cover it',
  })
  .command('post', '/accounts/:id/freeze', 'freeze', {
    summary: 'Freeze an account: no money moves until it is unfrozen',
  })
  .command('post', '/accounts/:id/unfreeze', 'unfreeze', { summary: 'Unfreeze an account' })
  .command('post', '/accounts/:id/close', 'close', { summary: 'Close an account with a zero balance' })
  .query('/accounts/:id', {
    summary: 'An account and its balance, from the balances projection',
    errors: ['NOT_FOUND'],
    handler: async (c, { params }) => {
      const balance = await projectionClients<EscfProjections>(c.env).BALANCES.balance(params.id);
      if (!balance) throw new NotFound('No such account');
      return { ...balance };
    },
  })
  .query('/accounts/:id/statement', {
    summary: 'Movements of an account, from the statements projection',
    handler: async (c, { params }) =>
      (await projectionClients<EscfProjections>(c.env).STATEMENTS.statement(params.id)).map((line) => ({ ...line })),
  });

resource(app, Transfer, { client: (c, id) => aggregates(c.env).transfer(id) })
  .command('post', '/transfers', 'request', {
    status: 202,
    id: creationId,
    location: (id) => `/transfers/${id}`,
    summary: 'Request a transfer between two accounts; a saga moves the money',
  })
  .query('/transfers/:id', {
    summary: 'A transfer and its outcome',
    errors: ['NOT_FOUND'],
    handler: async (c, { params }) => {
      const { version, state } = await aggregates(c.env).transfer.state(params.id);
      if (version === 0) throw new NotFound('No such transfer');
      return { id: params.id, ...state };
    },
  });

app.get('/openapi.json', openApiHandler(app, { title: 'ESCF bank example', version: '1.0.0' }));

export default app;
