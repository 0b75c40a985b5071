import type { InputDefinition } from '@escf/core';
import { inputJsonSchema } from '@escf/core/internal';
import type { Context, Env, Hono } from 'hono';
import type { EscfErrorsOptions } from '../error-response.js';
import { outputJsonSchema } from './output-json-schema.js';
import { type QueryRequest, queryHandler } from './query-handler.js';
import { documentHandler } from './route-docs.js';
import type { PathParams, RouteMethod, Validated } from './route-types.js';

/** Options shared by every route of a {@link Routes} or a resource. */
export interface RoutesOptions extends EscfErrorsOptions {}

/**
 * One query (or any route that is not one command): its schemas, its
 * handler, and what the OpenAPI document says about it.
 */
export interface QueryRoute<
  E extends Env,
  Path extends string,
  Query extends InputDefinition | undefined = undefined,
  Body extends InputDefinition | undefined = undefined,
  Result extends InputDefinition | undefined = undefined,
> {
  /** One line for the OpenAPI document. */
  readonly summary?: string;
  /** Schema of the query string (a zod object, a DTO class…): invalid → 400 `VALIDATION_FAILED` on `query.<name>`. */
  readonly query?: Query;
  /** Schema of the JSON body: read safely as for commands, invalid → 400 `VALIDATION_FAILED`. */
  readonly body?: Body;
  /** Schema of the response body: documented, and the handler's return type is checked against it. */
  readonly response?: Result;
  /** Status of a successful answer; defaults to 200. */
  readonly status?: 200 | 201 | 202;
  /** Error codes the route may answer (e.g. `['UNAUTHORIZED', 'NOT_FOUND']`), documented with their statuses. */
  readonly errors?: readonly string[];
  /** Largest accepted body; defaults to 64 KiB. */
  readonly maxBodyBytes?: number;
  /** Answers the request: a value (sent as JSON) or a `Response` of its own. Throw ESCF errors to refuse. */
  readonly handler: (
    c: Context<E, Path>,
    request: QueryRequest<PathParams<Path>, Validated<Query, Record<string, never>>, Validated<Body, undefined>>,
  ) => Validated<Result, unknown> | Response | Promise<Validated<Result, unknown> | Response>;
}

/**
 * Typed, documented routes on a Hono app that are not one command each:
 * queries (`GET`) and actions with a body schema. Every route answers its
 * own errors as ESCF JSON errors; the app's `onError` and `notFound` stay
 * the app's. `resource(app, Aggregate, …)` adds command routes to these.
 *
 * @example
 * ```ts
 * // given: tasks (a typed projection client)
 * routes(app).query('/tasks/:id', {
 *   response: TaskView,
 *   errors: ['NOT_FOUND'],
 *   handler: (c, { params }) => tasks(c.env).get(params.id),
 * });
 * ```
 */
export class Routes<E extends Env> {
  constructor(
    /** The app the routes are added to. */
    readonly app: Hono<E, any, any>,
    protected readonly options: RoutesOptions = {},
  ) {}

  /** Adds a `GET` route that answers from a handler (see {@link QueryRoute}). */
  query<
    const Path extends string,
    Query extends InputDefinition | undefined = undefined,
    Result extends InputDefinition | undefined = undefined,
  >(path: Path, route: QueryRoute<E, Path, Query, undefined, Result>): this {
    return this.route('get', path, route);
  }

  /** Adds a route with any method that answers from a handler, e.g. a `POST` whose body is not one command's input. */
  route<
    const Path extends string,
    Query extends InputDefinition | undefined = undefined,
    Body extends InputDefinition | undefined = undefined,
    Result extends InputDefinition | undefined = undefined,
  >(method: RouteMethod, path: Path, route: QueryRoute<E, Path, Query, Body, Result>): this {
    const status = route.status ?? 200;
    const handler = queryHandler<E>({
      query: route.query,
      body: route.body,
      status,
      maxBodyBytes: route.maxBodyBytes,
      handler: route.handler as never,
      answerErrors: this.options,
    });
    this.app.on(
      method.toUpperCase(),
      path,
      documentHandler(handler, {
        summary: route.summary ?? `${method.toUpperCase()} ${path}`,
        status,
        ...(route.query ? { query: inputJsonSchema(route.query) } : {}),
        ...(route.body ? { input: inputJsonSchema(route.body) } : {}),
        ...(route.response ? { response: outputJsonSchema(route.response) } : {}),
        ...(route.errors ? { errors: route.errors } : {}),
      }),
    );
    return this;
  }
}

/**
 * Typed, documented query routes on a Hono app (see {@link Routes}).
 *
 * @example
 * ```ts
 * // given: tasks (a typed projection client)
 * routes(app).query('/tasks', { response: TaskList, handler: (c) => tasks(c.env).list() });
 * ```
 */
export function routes<E extends Env>(app: Hono<E, any, any>, options: RoutesOptions = {}): Routes<E> {
  return new Routes(app, options);
}
