import { uniqueValueOwner } from '@escf/cloudflare';
import { NotFound, Unauthorized } from '@escf/core';
import { principalOf, resource } from '@escf/hono';
import type { Hono } from 'hono';
import { z } from 'zod';
import { aggregates } from '../../../src/aggregates.js';
import { User } from '../../../src/domain/index.js';
import type { ApiEnv } from './api-env.js';
import { Accepted, UserView } from './api-views.js';
import { creationId } from './creation-id.js';
import { projections } from './projections.js';
import { limitEmailTo } from './rate-limits.js';

const ResendRequest = z.object({ email: z.email().max(320) }).strict();
const location = (id: string) => `/users/${encodeURIComponent(id)}`;

/** Every command that sends an email is limited per recipient. */
async function limitEmail(c: Parameters<typeof limitEmailTo>[0], input: unknown): Promise<void> {
  const email = typeof input === 'object' && input !== null ? (input as { email?: unknown }).email : undefined;
  if (typeof email === 'string') await limitEmailTo(c, email);
}

/**
 * The users controller: the User aggregate's commands as REST routes (the
 * id comes from `:id`), and the users projection's query. Commands run
 * with `sync: true`: they answer once the projections have the events, so
 * a `GET` right after a `POST` sees the change. Who may run what is
 * declared on the commands (`authorize`): only a user may change, delete
 * or sign out itself.
 */
export function userRoutes(app: Hono<ApiEnv>): void {
  resource(app, User, { client: (c, id) => aggregates(c.env, { sync: true }).user(id) })
    .command('post', '/users', 'create', {
      status: 201,
      id: creationId,
      location,
      before: limitEmail,
      summary: 'Sign up (emails a verification token; the address must be unused)',
    })
    .command('put', '/users/:id', 'create', {
      status: 201,
      location,
      before: limitEmail,
      summary: 'Sign up under an id of your choice (409 if it exists)',
    })
    .command('patch', '/users/:id', 'update', {
      before: limitEmail,
      summary: 'Change your name and/or email (signed in as that user)',
    })
    .command('delete', '/users/:id', 'delete', { summary: 'Delete your account (signed in as that user)' })
    .command('post', '/users/:id/verify-email', 'fulfillEmailVerification', {
      summary: 'Prove ownership of the email address with the emailed token',
    })
    .query('/users/:id', {
      summary: 'Your own user (signed in as that user), from the users projection',
      response: UserView,
      errors: ['UNAUTHORIZED', 'NOT_FOUND'],
      handler: async (c, { params }) => {
        const principal = await principalOf(c);
        if (principal === undefined) throw new Unauthorized('Sign in to read a user');
        // Others get the same 404 as for an unknown id.
        if (principal.id !== params.id) throw new NotFound(`User ${params.id} not found`);
        return await projections(c.env).USERS.get(params.id);
      },
    })
    .route('post', '/users/verification', {
      summary: 'Email a new verification token ({ email }); the same answer whether the address exists or not',
      body: ResendRequest,
      status: 202,
      response: Accepted,
      errors: ['RATE_LIMITED'],
      handler: async (c, { body }) => {
        await limitEmailTo(c, body.email);
        const userId = await uniqueValueOwner(c.env, {
          claims: 'UNIQUE_VALUES',
          aggregateType: User.type,
          namespace: 'email',
          value: body.email,
        });
        if (userId !== null)
          await aggregates(c.env, { sync: true })
            .user(userId)
            .resendEmailVerification()
            .catch(() => undefined);
        return { accepted: true } as const;
      },
    });
}
