import { uniqueValueOwner } from '@escf/cloudflare';
import { NotFound, Unauthorized, ValidationError, validateAgainst } from '@escf/core';
import { type CommandApi, readJson } from '@escf/hono';
import { z } from 'zod';
import { aggregates } from '../../../src/aggregates.js';
import { User } from '../../../src/domain/index.js';
import type { ApiEnv } from './api-env.js';
import { creationId } from './creation-id.js';
import { projections } from './projections.js';
import { limitEmailTo } from './rate-limits.js';

const ResendRequest = z.object({ email: z.email().max(320) }).strict();
const emailOf = (input: unknown) =>
  typeof input === 'object' && input !== null ? (input as { email?: unknown }).email : undefined;

/**
 * The User aggregate's commands as REST routes, and the users projection's
 * query. Commands run with `sync: true`: they answer once the projections
 * have the events, so a `GET` right after a `POST` sees the change. Who may
 * run what is declared on the commands (`authorize`): only a user may
 * change, delete or sign out itself.
 */
export function userRoutes(api: CommandApi<ApiEnv>): CommandApi<ApiEnv> {
  const user = (env: ApiEnv['Bindings'], id: string) => aggregates(env, { sync: true }).user(id);
  const byPath = {
    id: (c: { req: { param(name: 'id'): string } }) => c.req.param('id'),
    client: (c: { env: ApiEnv['Bindings'] }, id: string) => user(c.env, id),
  };
  // Every command that sends an email is limited per recipient.
  const limitEmail = async (c: Parameters<typeof limitEmailTo>[0], input: unknown) => {
    const email = emailOf(input);
    if (typeof email === 'string') await limitEmailTo(c, email);
  };
  api
    .command('post', '/users', {
      aggregate: User,
      command: 'create',
      status: 201,
      id: creationId,
      client: (c, id) => user(c.env, id),
      location: (id) => `/users/${encodeURIComponent(id)}`,
      before: limitEmail,
      summary: 'Sign up (emails a verification token; the address must be unused)',
    })
    .command('put', '/users/:id', {
      aggregate: User,
      command: 'create',
      status: 201,
      ...byPath,
      location: (id) => `/users/${encodeURIComponent(id)}`,
      before: limitEmail,
      summary: 'Sign up under an id of your choice (409 if it exists)',
    })
    .command('patch', '/users/:id', {
      aggregate: User,
      command: 'update',
      ...byPath,
      before: limitEmail,
      summary: 'Change your name and/or email (signed in as that user)',
    })
    .command('delete', '/users/:id', {
      aggregate: User,
      command: 'delete',
      ...byPath,
      summary: 'Delete your account (signed in as that user)',
    })
    .command('post', '/users/:id/verify-email', {
      aggregate: User,
      command: 'fulfillEmailVerification',
      ...byPath,
      summary: 'Prove ownership of the email address with the emailed token',
    })
    .document({
      method: 'get',
      path: '/users/:id',
      status: 200,
      summary: 'Your own user (signed in as that user), from the users projection',
    })
    .document({
      method: 'post',
      path: '/users/verification',
      status: 202,
      summary: 'Email a new verification token ({ email }); the same answer whether the address exists or not',
    });

  // Only the user themself sees their record (others get the same 404 as for an unknown id).
  api.app.get('/users/:id', async (c) => {
    const principal = await api.principalOf(c);
    if (principal === undefined) throw new Unauthorized('Sign in to read a user');
    const id = c.req.param('id');
    if (principal.id !== id) throw new NotFound(`User ${id} not found`);
    return c.json(await projections(c.env).USERS.get(id));
  });

  // Resend: never reveals whether the address is registered.
  api.app.post('/users/verification', async (c) => {
    const outcome = await validateAgainst(ResendRequest, await readJson(c));
    if (!outcome.ok) throw new ValidationError('Invalid request body', { details: { issues: outcome.issues } });
    const { email } = outcome.value as z.infer<typeof ResendRequest>;
    await limitEmailTo(c, email);
    const userId = await uniqueValueOwner(c.env, {
      claims: 'UNIQUE_VALUES',
      aggregateType: User.type,
      namespace: 'email',
      value: email,
    });
    if (userId !== null)
      await user(c.env, userId)
        .resendEmailVerification()
        .catch(() => undefined);
    return c.json({ accepted: true }, 202);
  });
  return api;
}
