import type { Principal } from '@escf/core';
import { bearerToken } from '@escf/hono';
import type { Context } from 'hono';
import { sha256Hex } from '../../../src/domain/index.js';
import type { ApiEnv } from './api-env.js';
import { projections } from './projections.js';

/**
 * The caller of a request: the user whose session the `Authorization:
 * Bearer <token>` header names (401 for an unknown or expired token), or
 * anonymous without the header. Tokens are looked up by their SHA-256.
 */
export async function authenticate(
  c: Context<ApiEnv>,
): Promise<(Principal & { readonly sessionId: string }) | undefined> {
  const token = bearerToken(c);
  if (token === undefined) return undefined;
  const { userId, sessionId } = await projections(c.env).SESSIONS.principalOf(await sha256Hex(token));
  return { id: userId, sessionId };
}
