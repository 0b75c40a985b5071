import type { InputDefinition } from '@escf/core';
import type { Context, Env } from 'hono';
import { type EscfErrorsOptions, errorResponse } from '../error-response.js';
import { readJson } from '../read-json.js';
import { validateRequestPart } from './request-validation.js';

/** What a query handler receives besides the context: the validated parts of the request. */
export interface QueryRequest<Params, Query, Body> {
  /** The path parameters, by the names in the route's path. */
  readonly params: Params;
  /** The query string, validated by the route's `query` schema (`{}` without one). */
  readonly query: Query;
  /** The JSON body, validated by the route's `body` schema (undefined without one). */
  readonly body: Body;
}

/** How one HTTP route answers from a handler (what `query`/`route` fill in). */
export interface QueryHandlerSpec<E extends Env> {
  readonly query?: InputDefinition | undefined;
  readonly body?: InputDefinition | undefined;
  readonly status: 200 | 201 | 202;
  readonly maxBodyBytes?: number | undefined;
  readonly handler: (c: Context<E, any>, request: QueryRequest<any, any, any>) => unknown;
  readonly answerErrors: EscfErrorsOptions;
}

/**
 * The Hono handler of a query route: validates the query string and the
 * body (safe JSON, as for commands) when the route declares a schema for
 * them, runs the handler and answers its value as JSON — or the handler's
 * own `Response`. Errors are answered here, as JSON with a stable code.
 */
export function queryHandler<E extends Env>(spec: QueryHandlerSpec<E>): (c: Context<E, any>) => Promise<Response> {
  return async (c) => {
    try {
      // Own properties only (Object.fromEntries): a `__proto__` parameter cannot reach a prototype.
      const rawQuery = Object.fromEntries(new URL(c.req.url).searchParams);
      const query = spec.query ? await validateRequestPart(spec.query, rawQuery, 'query') : {};
      const body = spec.body
        ? await validateRequestPart(
            spec.body,
            await readJson(c, spec.maxBodyBytes === undefined ? {} : { maxBytes: spec.maxBodyBytes }),
            'body',
          )
        : undefined;
      const value = await spec.handler(c, { params: c.req.param(), query, body });
      if (value instanceof Response) return value;
      return c.json((value ?? null) as object, spec.status);
    } catch (error) {
      return errorResponse(c, error, spec.answerErrors);
    }
  };
}
