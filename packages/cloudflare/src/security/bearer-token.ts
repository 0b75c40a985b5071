import { sameSecret } from './same-secret.js';

/**
 * True when `request` carries `Authorization: Bearer <expected>`, compared in
 * constant time ({@link sameSecret}). An unset or empty `expected` secret
 * matches nothing: admin surfaces stay closed unless configured.
 */
export async function bearerTokenMatches(request: Request, expected: unknown): Promise<boolean> {
  if (typeof expected !== 'string' || expected.length === 0) return false;
  const presented = bearerTokenOf(request);
  return (await sameSecret(presented, expected)) && presented.length > 0;
}

/** The token of an `Authorization: Bearer <token>` header, or `''` (never read from the URL). */
export function bearerTokenOf(request: Request): string {
  const header = request.headers.get('authorization') ?? '';
  return header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
}
