import { unwrapReply } from '@escf/cloudflare';
import type { CommandApi } from '@escf/hono';
import { aggregates } from '../../../src/aggregates.js';
import { User } from '../../../src/domain/index.js';
import type { ApiEnv } from './api-env.js';
import { creationId } from './creation-id.js';

/**
 * The User aggregate's commands as REST routes, and the users projection's
 * query. Commands run with `sync: true`: they answer once the projections
 * have the events, so a `GET` right after a `POST` sees the change.
 */
export function userRoutes(api: CommandApi<ApiEnv>): CommandApi<ApiEnv> {
  const user = (env: ApiEnv['Bindings'], id: string) => aggregates(env, { sync: true }).user(id);
  const byPath = { id: (c: { req: { param(name: 'id'): string } }) => c.req.param('id'), client: (c: { env: ApiEnv['Bindings'] }, id: string) => user(c.env, id) };
  api
    .command('post', '/users', {
      aggregate: User,
      command: 'create',
      status: 201,
      id: creationId,
      client: (c, id) => user(c.env, id),
      location: (id) => `/users/${id}`,
      summary: 'Create a user (and issue an email verification token)',
    })
    .command('put', '/users/:id', {
      aggregate: User,
      command: 'create',
      status: 201,
      ...byPath,
      location: (id) => `/users/${id}`,
      summary: 'Create a user under an id of your choice (409 if it exists)',
    })
    .command('patch', '/users/:id', { aggregate: User, command: 'update', ...byPath, summary: 'Change name and/or email' })
    .command('delete', '/users/:id', { aggregate: User, command: 'delete', ...byPath, summary: 'Delete a user' })
    .command('post', '/users/:id/authenticate', { aggregate: User, command: 'authenticate', ...byPath, summary: 'Check a password' })
    .command('post', '/users/:id/verify-email', { aggregate: User, command: 'fulfillEmailVerification', ...byPath, summary: 'Prove ownership of the email address' })
    .document({ method: 'get', path: '/users/:id', status: 200, summary: 'A user, from the users projection' });

  api.app.get('/users/:id', async (c) => c.json(unwrapReply(await c.env.USERS.get(c.req.param('id')))));
  return api;
}
