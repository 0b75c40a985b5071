import type { Context } from 'hono';

/**
 * The id of a resource created by a POST: random, or — when the request
 * carries an `Idempotency-Key` — derived from it (SHA-256, UUID-shaped), so
 * a retried request reaches the same aggregate, whose idempotency record
 * returns the first result instead of creating a second resource.
 */
export async function creationId(c: Context): Promise<string> {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return crypto.randomUUID();
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${c.req.method} ${c.req.path} ${key}`)),
  );
  const hex = Array.from(digest.slice(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
