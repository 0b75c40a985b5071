import type { Context } from 'hono';
import { HttpInputError } from './http-input-error.js';

const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]{1,512}=*)$/;

/**
 * The token of an `Authorization: Bearer <token>` header, undefined without
 * the header, and 400 `INVALID_HEADER` for any other shape. Tokens belong in
 * this header (or an HttpOnly cookie), never in URLs, which end up in logs,
 * histories and `Referer` headers.
 */
export function bearerToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header === undefined) return undefined;
  const match = BEARER.exec(header.trim());
  if (!match)
    throw new HttpInputError('Authorization must be "Bearer <token>".', {
      code: 'INVALID_HEADER',
      details: { header: 'Authorization' },
    });
  return match[1];
}
