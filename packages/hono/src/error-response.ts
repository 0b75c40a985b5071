import { log, serializeError } from '@escf/core/internal';
import type { Context, ErrorHandler } from 'hono';
import { httpStatusOf } from './error-status.js';

/** The body of every error response: `{ "error": { code, message, details? } }`. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: Record<string, unknown> };
}

/** Options of {@link escfErrors}. */
export interface EscfErrorsOptions {
  /** Override the status for some errors; return undefined to keep the default. */
  readonly statusOf?: (error: unknown) => number | undefined;
  /** Called for every 5xx, e.g. to log it. Defaults to an `error` record through ESCF's logger (`setLogger`). */
  readonly onServerError?: (error: unknown, c: Context) => void;
}

/**
 * A Hono `onError` handler that answers every error with a JSON body and a
 * stable code: 4xx for bad input and refused commands, 500 for bugs and
 * outages (whose message is replaced, so internals never leak).
 *
 * @example
 * ```ts
 * app.onError(escfErrors());
 * ```
 */
export function escfErrors(options: EscfErrorsOptions = {}): ErrorHandler {
  return (error, c) => errorResponse(c, error, options);
}

/** The JSON response for one error (see {@link escfErrors}). */
export function errorResponse(c: Context, error: unknown, options: EscfErrorsOptions = {}): Response {
  const status = options.statusOf?.(error) ?? httpStatusOf(error);
  if (status >= 500) {
    (
      options.onServerError ??
      ((e: unknown) =>
        log({
          level: 'error',
          message: 'request failed',
          code: serializeError(e).code,
          method: c.req.method,
          error: e,
        }))
    )(error, c);
    const code = serializeError(error).code;
    return c.json({ error: { code, message: 'Internal error' } } satisfies ErrorBody, status as 500);
  }
  const { code, message, details } = serializeError(error);
  return c.json(
    { error: { code, message, ...(details ? { details: { ...details } } : {}) } } satisfies ErrorBody,
    status as 400,
  );
}
