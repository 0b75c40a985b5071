import { uniqueValueOwner } from '@escf/cloudflare';
import { type EscfError, Unauthorized, ValidationError, validateAgainst } from '@escf/core';
import { bearerToken, type CommandApi, readJson } from '@escf/hono';
import { z } from 'zod';
import { aggregates } from '../../../src/aggregates.js';
import { dummyPasswordHash, newSecret, sha256Hex, User, verifyPassword } from '../../../src/domain/index.js';
import type { ApiEnv } from './api-env.js';
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
export function sessionRoutes(api: CommandApi<ApiEnv>): CommandApi<ApiEnv> {
  api.app.post('/sessions', async (c) => {
    const outcome = await validateAgainst(SignInRequest, await readJson(c));
    if (!outcome.ok) throw new ValidationError('Invalid request body', { details: { issues: outcome.issues } });
    const { email, password } = outcome.value as z.infer<typeof SignInRequest>;
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
    const session = await projections(c.env).SESSIONS.current(await sha256Hex(token));
    return c.json({ token, session }, 201);
  });

  api.app.get('/sessions/current', async (c) =>
    c.json(await projections(c.env).SESSIONS.current(await sha256Hex(requireToken(c)))),
  );

  api.app.delete('/sessions/current', async (c) => {
    const token = requireToken(c);
    const { userId, sessionId } = await projections(c.env).SESSIONS.principalOf(await sha256Hex(token));
    await aggregates(c.env, { sync: true })
      .user(userId)
      .signOut({ sessionId }, { principal: { id: userId } });
    return c.json({ signedOut: true });
  });

  return api
    .document({
      method: 'post',
      path: '/sessions',
      status: 201,
      summary: 'Sign in ({ email, password }) with a verified address: answers { token, session }',
    })
    .document({
      method: 'get',
      path: '/sessions/current',
      status: 200,
      summary: 'The session of the Authorization: Bearer token',
    })
    .document({
      method: 'delete',
      path: '/sessions/current',
      status: 200,
      summary: 'Sign out (ends the session of the bearer token)',
    });
}

function requireToken(c: Parameters<typeof bearerToken>[0]): string {
  const token = bearerToken(c);
  if (token === undefined) throw new Unauthorized('Send Authorization: Bearer <token>');
  return token;
}
