import { uniqueValueOwner } from '@escf/cloudflare';
import { type EscfError, Unauthorized } from '@escf/core';
import { bearerToken, routes } from '@escf/hono';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { aggregates } from '../../../src/aggregates.js';
import { dummyPasswordHash, newSecret, sha256Hex, User, verifyPassword } from '../../../src/domain/index.js';
import type { ApiEnv } from './api-env.js';
import { SessionView, SignedIn, SignedOut } from './api-views.js';
import { projections } from './projections.js';
import { limitSignIn } from './rate-limits.js';

/** `POST /sessions`: sign in. */
const SignInRequest = z.object({ email: z.email().max(320), password: z.string().min(1).max(200) }).strict();

/** One answer for an unknown address and a wrong password: nobody learns which accounts exist. */
const invalidCredentials = () => new Unauthorized('Invalid email or password');

/**
 * Sessions: `POST /sessions` signs in (`{ email, password }`) and answers a
 * bearer token — in the body only, never in a URL or a log; `GET
 * /sessions/current` reads the session of the `Authorization: Bearer`
 * token; `DELETE /sessions/current` signs out. A session is a `UserSignedIn`
 * event (the token's SHA-256), so sessions survive projection rebuilds.
 */
export function sessionRoutes(app: Hono<ApiEnv>): void {
  routes(app)
    .route('post', '/sessions', {
      summary: 'Sign in ({ email, password }) with a verified address: answers { token, session }',
      body: SignInRequest,
      status: 201,
      response: SignedIn,
      errors: ['UNAUTHORIZED', 'RATE_LIMITED'],
      handler: async (c, { body: { email, password } }) => {
        await limitSignIn(c, email);
        const userId = await uniqueValueOwner(c.env, {
          claims: 'UNIQUE_VALUES',
          aggregateType: User.type,
          namespace: 'email',
          value: email,
        });
        if (userId === null) {
          // The same work as a wrong password (one PBKDF2 run), so timing does not reveal the address is unknown.
          await verifyPassword(password, await dummyPasswordHash());
          throw invalidCredentials();
        }
        const token = newSecret();
        try {
          await aggregates(c.env, { sync: true })
            .user(userId)
            .signIn({ password, tokenHash: await sha256Hex(token) });
        } catch (error) {
          const code = (error as EscfError).code;
          if (code === 'UNAUTHORIZED' || code === 'NOT_FOUND' || code === 'USER_DELETED') throw invalidCredentials();
          throw error;
        }
        return { token, session: await projections(c.env).SESSIONS.current(await sha256Hex(token)) };
      },
    })
    .query('/sessions/current', {
      summary: 'The session of the Authorization: Bearer token',
      response: SessionView,
      errors: ['UNAUTHORIZED'],
      handler: async (c) => projections(c.env).SESSIONS.current(await sha256Hex(requireToken(c))),
    })
    .route('delete', '/sessions/current', {
      summary: 'Sign out (ends the session of the bearer token)',
      response: SignedOut,
      errors: ['UNAUTHORIZED'],
      handler: async (c) => {
        const { userId, sessionId } = await projections(c.env).SESSIONS.principalOf(await sha256Hex(requireToken(c)));
        await aggregates(c.env, { sync: true })
          .user(userId)
          .signOut({ sessionId }, { principal: { id: userId } });
        return { signedOut: true } as const;
      },
    });
}

function requireToken(c: Context): string {
  const token = bearerToken(c);
  if (token === undefined) throw new Unauthorized('Send Authorization: Bearer <token>');
  return token;
}
