import type { SerializedError } from '@escf/core';
import { deserializeError, httpStatusOf, serializeError } from '@escf/core/internal';

/**
 * The body of every ESCF error over HTTP — `@escf/hono` routes, the admin,
 * process and archive surfaces alike: `{ "error": { code, message, details? } }`.
 */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: Record<string, unknown> };
}

/**
 * A JSON response with the {@link ErrorBody} of anything thrown, with the
 * status `@escf/hono` gives it too (bad input 4xx, a refused rule 422);
 * 5xx errors keep only their code, so internals never leak.
 */
export function errorResponse(error: unknown, status = httpStatusOf(error)): Response {
  const { code, message, details } = serializeError(error);
  return status >= 500
    ? errorJson(status, code, 'Internal error')
    : errorJson(status, code, message, details && { ...details });
}

/** A JSON error response built from a code and message (for refusals that are not thrown). */
export function errorJson(status: number, code: string, message: string, details?: Record<string, unknown>): Response {
  return Response.json(
    { error: { code, message, ...(details === undefined ? {} : { details }) } } satisfies ErrorBody,
    {
      status,
    },
  );
}

/**
 * The HTTP answer for an RPC reply (see `RpcReply`): a success as
 * `{ ok: true, value }`, a refusal as the one {@link ErrorBody} with its status.
 */
export function replyResponse(
  reply: { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: SerializedError },
): Response {
  return reply.ok ? Response.json(reply) : errorResponse(deserializeError(reply.error));
}
