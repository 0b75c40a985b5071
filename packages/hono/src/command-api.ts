import { type Aggregate, type AggregateClass, type AggregateClient, type CommandNames, type CommandResult } from '@escf/core';
import { describeAggregate } from '@escf/core/internal';
import type { Context, Env, Hono } from 'hono';
import { commandOptions, etagOf } from './command-headers.js';
import { escfErrors, type ErrorBody, type EscfErrorsOptions } from './error-response.js';
import { inputJsonSchema } from './input-json-schema.js';
import { openApiDocument, type OpenApiInfo, type RouteDoc } from './openapi-document.js';
import { readJson } from './read-json.js';

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
  /** Largest accepted body; defaults to 64 KiB. */
  readonly maxBodyBytes?: number;
}

/**
 * Maps HTTP routes to aggregate commands with the semantics clients expect:
 * a safe JSON body, `If-Match` → expected version, `Idempotency-Key`,
 * `ETag` with the new version, 201 + `Location` for creations, and every
 * error as JSON with a stable code (400, 401, 404, 409, 413, 415, 422…). It
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

  constructor(
    readonly app: Hono<E>,
    options: EscfErrorsOptions = {},
  ) {
    app.onError(escfErrors(options));
    // Unknown routes answer like every other error: JSON with a stable code.
    app.notFound((c) =>
      c.json({ error: { code: 'ROUTE_NOT_FOUND', message: `No route for ${c.req.method} ${new URL(c.req.url).pathname}` } } satisfies ErrorBody, 404),
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
    if (!command) throw new TypeError(`${descriptor.type} has no command '${route.command}' (route ${method.toUpperCase()} ${path}).`);
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
      const id = await route.id(c);
      const client = route.client(c, id) as unknown as Record<string, (input: unknown, options: unknown) => Promise<CommandResult>>;
      const result = await client[route.command]!(input, options);
      c.header('ETag', etagOf(result.version));
      if (status === 201 && route.location) c.header('Location', route.location(id));
      const body = route.respond
        ? route.respond(result, c)
        : { id: result.aggregateId, version: result.version, events: result.events.map((e) => e.type) };
      return c.json(body as object, status);
    });
    return this;
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
