import type { Aggregate, AggregateClass, AggregateClient, CommandNames, CommandResult, Principal } from '@escf/core';
import { describeAggregate, inputJsonSchema } from '@escf/core/internal';
import type { Context, Env, Hono } from 'hono';
import { type EscfErrorsOptions, escfErrors } from './error-response.js';
import { escfMiddleware } from './escf-middleware.js';
import { escfNotFound } from './escf-not-found.js';
import { type OpenApiInfo, openApiDocument, type RouteDoc } from './openapi-document.js';
import { principalOf } from './request-principal.js';
import { commandHandler } from './routes/command-handler.js';

/**
 * Options of a {@link CommandApi}.
 *
 * @deprecated Use `escfMiddleware({ authenticate })` and `escfErrors({ statusOf, onServerError })` (docs/http.md, "Migrating from CommandApi").
 */
export interface CommandApiOptions<E extends Env = Env> extends EscfErrorsOptions {
  /**
   * Who is calling: the authenticated principal of a request, or undefined
   * for an anonymous one (commands with `authorize` then answer 401). Runs
   * before each command route; throw `Unauthorized` for a credential that
   * is present but invalid. The principal travels with the command into
   * the aggregate and is recorded in each event's `metadata.principal`.
   *
   * @example
   * ```ts
   * new CommandApi(app, { authenticate: async (c) => sessions.principalOf(bearerToken(c)) });
   * ```
   */
  readonly authenticate?: (c: Context<E>) => Principal | undefined | Promise<Principal | undefined>;
}

/**
 * How one HTTP route of a {@link CommandApi} runs one command.
 *
 * @deprecated Use `resource(app, Aggregate, { client }).command(method, path, name, options)`.
 */
export interface CommandRoute<E extends Env, A extends Aggregate<any>, K extends CommandNames<A>> {
  readonly aggregate: AggregateClass<A>;
  readonly command: K;
  /**
   * The aggregate id: from the path (`c.req.param('id')`) or a new one for
   * creations. May be async, e.g. to derive a creation's id from its
   * `Idempotency-Key` (a hash), so that a retried POST reaches the same
   * aggregate and gets the first result instead of creating a second one.
   */
  readonly id: (c: Context<E>) => string | Promise<string>;
  /** A typed client for that aggregate instance, e.g. `(c, id) => aggregates(c.env).user(id)`. */
  readonly client: (c: Context<E>, id: string) => AggregateClient<A>;
  /** 201 for creations (adds `Location`), 200 otherwise. Defaults to 200. */
  readonly status?: 200 | 201 | 202;
  /** `Location` of the created resource, for 201. */
  readonly location?: (id: string) => string;
  /** The response body; defaults to `{ id, version, events: [types] }`. */
  readonly respond?: (result: CommandResult, c: Context<E>) => unknown;
  readonly summary?: string;
  /**
   * Runs after the body is read and before the command, e.g. a rate limit
   * keyed by a field of the input; throw to refuse the request.
   */
  readonly before?: (c: Context<E>, input: unknown, id: string) => void | Promise<void>;
  /** Largest accepted body; defaults to 64 KiB. */
  readonly maxBodyBytes?: number;
}

/**
 * Maps HTTP routes to aggregate commands with the semantics clients expect:
 * a safe JSON body, `If-Match` → expected version, `Idempotency-Key`,
 * `ETag` with the new version, 201 + `Location` for creations, and every
 * error as JSON with a stable code (400, 401, 404, 409, 413, 415, 422…), and
 * 202 Accepted with the committed result when a synchronous command is
 * committed but not yet delivered (`DELIVERY_PENDING`). It
 * also records each route so that {@link CommandApi.serveOpenApi} can
 * describe the API from the command definitions.
 *
 * @deprecated It takes over the app's `onError` and `notFound`. Use the
 * route helpers instead — `app.use(escfMiddleware({ authenticate }))`,
 * `resource(app, Aggregate, { client }).command(…)`, `routes(app).query(…)`
 * and `openApiHandler(app, info)` — and opt in to `escfErrors()` /
 * `escfNotFound()` for the whole app (docs/http.md, "Migrating from CommandApi").
 *
 * @example
 * ```ts
 * // given: aggregates (the worker's aggregateClients(…) set)
 * const app = new Hono<{ Bindings: Env }>();
 * const api = new CommandApi(app);
 * api.command('post', '/users', {
 *   aggregate: User, command: 'create', status: 201,
 *   id: () => crypto.randomUUID(),
 *   client: (c, id) => aggregates(c.env).user(id),
 *   location: (id) => `/users/${id}`,
 * });
 * api.serveOpenApi('/openapi.json', { title: 'Users', version: '1.0.0' });
 * ```
 */
export class CommandApi<E extends Env> {
  private readonly routes: RouteDoc[] = [];

  constructor(
    readonly app: Hono<E>,
    options: CommandApiOptions<E> = {},
  ) {
    // The app-wide handling the route helpers leave to the app: CommandApi takes it over, as it always did.
    app.onError(escfErrors(options));
    app.use('*', escfMiddleware<E>(options));
    app.notFound(escfNotFound());
  }

  /** Adds a route that runs one command. */
  command<A extends Aggregate<any>, K extends CommandNames<A>>(
    method: 'post' | 'put' | 'patch' | 'delete',
    path: string,
    route: CommandRoute<E, A, K>,
  ): this {
    const descriptor = describeAggregate(route.aggregate);
    const command = descriptor.commands.get(route.command);
    if (!command)
      throw new TypeError(
        `${descriptor.type} has no command '${route.command}' (route ${method.toUpperCase()} ${path}).`,
      );
    const status = route.status ?? 200;
    this.routes.push({
      method,
      path,
      summary: route.summary ?? `${descriptor.type}.${route.command}`,
      aggregateType: descriptor.type,
      command: route.command,
      input: inputJsonSchema(command.input),
      status,
    });
    this.app.on(
      method.toUpperCase(),
      path,
      commandHandler<E>({
        command: route.command,
        id: route.id,
        client: route.client,
        status,
        location: route.location,
        respond: route.respond,
        before: route.before,
        maxBodyBytes: route.maxBodyBytes,
      }),
    );
    return this;
  }

  /** The request's principal, from the `authenticate` option (undefined without one). */
  principalOf(c: Context<E>): Promise<Principal | undefined> {
    return principalOf(c);
  }

  /** Documents a route the app serves itself (e.g. a query), so it appears in the OpenAPI document. */
  document(route: Omit<RouteDoc, 'input' | 'aggregateType' | 'command'> & Partial<RouteDoc>): this {
    this.routes.push(route as RouteDoc);
    return this;
  }

  /** The OpenAPI 3.1 document of every route added so far. */
  openApi(info: OpenApiInfo): Record<string, unknown> {
    return openApiDocument(info, this.routes);
  }

  /** Serves the OpenAPI document at `path`. */
  serveOpenApi(path: string, info: OpenApiInfo): this {
    this.app.get(path, (c) => c.json(this.openApi(info)));
    return this;
  }
}
