import {
  type Aggregate,
  type AggregateClass,
  type AggregateClient,
  type CommandNames,
  type CommandResult,
  DeliveryPendingError,
  type Principal,
} from '@escf/core';
import { describeAggregate } from '@escf/core/internal';
import type { Context, Env, Hono } from 'hono';
import { commandOptions, etagOf } from './command-headers.js';
import { type ErrorBody, type EscfErrorsOptions, escfErrors } from './error-response.js';

/** Options of a {@link CommandApi}. */
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

import { HttpInputError } from './http-input-error.js';
import { inputJsonSchema } from './input-json-schema.js';
import { type OpenApiInfo, openApiDocument, type RouteDoc } from './openapi-document.js';
import { readJson } from './read-json.js';
import { checkHeaderValue, checkRouteId } from './route-id.js';

/** Methods an ESCF API serves; anything else (CONNECT, TRACE, made-up ones) is a JSON 405. */
const SERVED_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** How one HTTP route runs one command. */
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
 * @example
 * ```ts
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

  private readonly authenticate: CommandApiOptions<E>['authenticate'];

  constructor(
    readonly app: Hono<E>,
    options: CommandApiOptions<E> = {},
  ) {
    this.authenticate = options.authenticate;
    app.onError(escfErrors(options));
    app.use('*', async (c, next) => {
      if (!SERVED_METHODS.has(c.req.method)) {
        throw new HttpInputError(`This API does not serve ${c.req.method.slice(0, 20)} requests.`, {
          code: 'METHOD_NOT_ALLOWED',
          details: { allowed: [...SERVED_METHODS] },
        });
      }
      await next();
    });
    // Unknown routes answer like every other error: JSON with a stable code.
    app.notFound((c) =>
      c.json(
        {
          error: { code: 'ROUTE_NOT_FOUND', message: `No route for ${c.req.method} ${c.req.path}` },
        } satisfies ErrorBody,
        404,
      ),
    );
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
    this.app.on(method.toUpperCase(), path, async (c) => {
      const input = await readJson(c, route.maxBodyBytes === undefined ? {} : { maxBytes: route.maxBodyBytes });
      const options = commandOptions(c);
      const id = checkRouteId(await route.id(c));
      // Built before the write: a header that cannot be sent must refuse the command, not fail after it.
      const location = status === 201 && route.location ? checkHeaderValue('Location', route.location(id)) : undefined;
      const principal = await this.principalOf(c);
      await route.before?.(c, input, id);
      const client = route.client(c, id) as unknown as Record<
        string,
        (input: unknown, options: unknown) => Promise<CommandResult>
      >;
      let result: CommandResult;
      let answer: 200 | 201 | 202 = status;
      try {
        result = await client[route.command]!(input, principal === undefined ? options : { ...options, principal });
      } catch (error) {
        // Committed but not yet delivered (sync clients): 202 with the committed result, so
        // the client knows it must not send the command again.
        if (!(error instanceof DeliveryPendingError) || !error.result) throw error;
        result = error.result;
        answer = 202;
        c.header('ESCF-Delivery', 'pending');
      }
      c.header('ETag', etagOf(result.version));
      if (location !== undefined) c.header('Location', location);
      const body = route.respond
        ? route.respond(result, c)
        : { id: result.aggregateId, version: result.version, events: result.events.map((e) => e.type) };
      return c.json(body as object, answer);
    });
    return this;
  }

  /** The request's principal, from the `authenticate` option (undefined without one). */
  principalOf(c: Context<E>): Promise<Principal | undefined> {
    return Promise.resolve(this.authenticate?.(c));
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
