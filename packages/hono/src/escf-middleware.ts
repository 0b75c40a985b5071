import type { Env, MiddlewareHandler } from 'hono';
import { type EscfErrorsOptions, errorResponse } from './error-response.js';
import { HttpInputError } from './http-input-error.js';
import { type Authenticate, setAuthenticate } from './request-principal.js';
import { traceRequests } from './trace-requests.js';

/** Methods an ESCF API serves; anything else (CONNECT, TRACE, made-up ones) is a JSON 405. */
const SERVED_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Options of {@link escfMiddleware}. */
export interface EscfMiddlewareOptions<E extends Env = Env> extends EscfErrorsOptions {
  /**
   * Who is calling: the authenticated principal of a request, or undefined
   * for an anonymous one (commands with `authorize` then answer 401).
   * Called at most once per request, when a command route or
   * `principalOf(c)` first asks; throw `Unauthorized` for a credential that
   * is present but invalid. The principal travels with the command into the
   * aggregate and is recorded in each event's `metadata.principal`.
   */
  readonly authenticate?: Authenticate<E>;
}

/**
 * Request handling every ESCF route relies on, as one Hono middleware: the
 * caller's principal (`authenticate`, read with `principalOf(c)`), a
 * JSON 405 `METHOD_NOT_ALLOWED` for methods an API does not serve, and —
 * when tracing is on — a server span that continues the caller's W3C trace. It does
 * not touch the app's `onError` or `notFound` (ESCF routes answer their own
 * errors): install `escfErrors()` and `escfNotFound()` there if you want
 * ESCF's JSON errors for the app's other routes too.
 *
 * @example
 * ```ts
 * const app = new Hono<ApiEnv>();
 * app.use(escfMiddleware({ authenticate }));
 * app.onError(escfErrors());
 * app.notFound(escfNotFound());
 * ```
 */
export function escfMiddleware<E extends Env = Env>(options: EscfMiddlewareOptions<E> = {}): MiddlewareHandler<E> {
  const authenticate = options.authenticate;
  const trace = traceRequests<E>();
  return async (c, next) => {
    if (!SERVED_METHODS.has(c.req.method)) {
      // Answered here, not thrown: the app's onError is the app's own.
      const refused = new HttpInputError(`This API does not serve ${c.req.method.slice(0, 20)} requests.`, {
        code: 'METHOD_NOT_ALLOWED',
        details: { allowed: [...SERVED_METHODS] },
      });
      return errorResponse(c, refused, options);
    }
    if (authenticate) setAuthenticate(c, authenticate);
    await trace(c, next);
  };
}
