import { unwrapReply } from '@escf/cloudflare';
import { ValidationError, validateAgainst } from '@escf/core';
import { readJson, type CommandApi } from '@escf/hono';
import type { Context } from 'hono';
import { z } from 'zod';
import { CreateUser } from '../../../src/domain/index.js';
import type { SessionRow, SessionUserRow } from '../../sessions/src/session-tables.js';
import type { ApiEnv } from './api-env.js';

/** `POST /sessions` without a name: sign in. */
const SignIn = z.object({ email: z.email().max(320), password: z.string().min(1).max(200) }).strict();

/** A `Session` (workers/sessions/src/session.ts) as its RPC stub reads: each property is a promise. */
interface SessionStub {
  readonly user: Promise<SessionUserRow>;
  readonly session: Promise<SessionRow & { readonly fresh: boolean }>;
}

/**
 * Session routes, served by the SessionService projection over RPC:
 * `POST /sessions` registers (`{ name, email, password }`) or signs in
 * (`{ email, password }`), `GET /sessions/:id` reads a session.
 */
export function sessionRoutes(api: CommandApi<ApiEnv>): CommandApi<ApiEnv> {
  api.app.post('/sessions', async (c) => {
    const body = await readJson(c);
    const isRegistration = typeof body === 'object' && body !== null && 'name' in body;
    if (isRegistration) {
      // A plain object: class instances do not cross RPC.
      const { name, email, password } = await valid<CreateUser>(CreateUser, body);
      return respond(c, unwrapReply(await c.env.SESSIONS.register({ name, email, password })), 201);
    }
    const { email, password } = await valid<z.infer<typeof SignIn>>(SignIn, body);
    return respond(c, unwrapReply(await c.env.SESSIONS.authenticate(email, password)), 201);
  });
  api.app.get('/sessions/:id', async (c) => respond(c, unwrapReply(await c.env.SESSIONS.getSession(c.req.param('id'))), 200));
  return api
    .document({ method: 'post', path: '/sessions', status: 201, summary: 'Register ({ name, email, password }) or sign in ({ email, password })' })
    .document({ method: 'get', path: '/sessions/:id', status: 200, summary: 'A session and its user' });
}

async function valid<T>(definition: Parameters<typeof validateAgainst>[0], value: unknown): Promise<T> {
  const outcome = await validateAgainst(definition, value);
  if (!outcome.ok) throw new ValidationError('Invalid request body', outcome.issues);
  return outcome.value as T;
}

async function respond(c: Context<ApiEnv>, stub: SessionStub, status: 200 | 201): Promise<Response> {
  const [user, session] = await Promise.all([stub.user, stub.session]);
  if (status === 201) c.header('Location', `/sessions/${session.sessionId}`);
  return c.json({ session, user }, status);
}
