import type { NotFoundHandler } from 'hono';
import type { ErrorBody } from './error-response.js';

/**
 * A Hono `notFound` handler that answers like every other ESCF error: a
 * JSON 404 with the stable code `ROUTE_NOT_FOUND`.
 *
 * @example
 * ```ts
 * app.notFound(escfNotFound());
 * ```
 */
export function escfNotFound(): NotFoundHandler {
  return (c) =>
    c.json(
      { error: { code: 'ROUTE_NOT_FOUND', message: `No route for ${c.req.method} ${c.req.path}` } } satisfies ErrorBody,
      404,
    );
}
