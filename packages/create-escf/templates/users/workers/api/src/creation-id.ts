import type { Context } from 'hono';

/**
 * The id of a user created by `POST /users`: random, or — when the request
 * carries an `Idempotency-Key` — derived from it (SHA-256 as a UUID-shaped
 * hex string), so that a retried request reaches the same aggregate, whose
 * idempotency record returns the first result instead of creating a second user.
 */
export async function creationId(c: Context): Promise<string> {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return crypto.randomUUID();
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`POST /users ${key}`)));
  const hex = Array.from(digest.slice(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
