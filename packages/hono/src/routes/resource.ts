import type { Aggregate, AggregateClass, AggregateClient, CommandNames, CommandResult } from '@escf/core';
import { describeAggregate, inputJsonSchema } from '@escf/core/internal';
import type { Context, Env, Hono } from 'hono';
import { commandHandler } from './command-handler.js';
import { documentHandler } from './route-docs.js';
import type { CommandMethod, PathParamName } from './route-types.js';
import { Routes, type RoutesOptions } from './routes.js';

/** Options of {@link resource}. */
export interface ResourceOptions<E extends Env, A extends Aggregate<any>> extends RoutesOptions {
  /** A typed client for one aggregate instance, e.g. `(c, id) => aggregates(c.env, { sync: true }).user(id)`. */
  readonly client: (c: Context<E>, id: string) => AggregateClient<A>;
}

/** Options of one command route; where the id comes from depends on the path (see {@link CommandRouteArgs}). */
export interface CommandRouteOptions<E extends Env> {
  /** 201 for creations (adds `Location`), 202 for work that continues elsewhere; defaults to 200. */
  readonly status?: 200 | 201 | 202;
  /** `Location` of the created resource, for 201 (built and checked before the command runs). */
  readonly location?: (id: string) => string;
  /** The response body; defaults to `{ id, version, events: [types] }`. */
  readonly respond?: (result: CommandResult, c: Context<E>) => unknown;
  /** Runs after the body is read and before the command, e.g. a rate limit keyed by a field of the input; throw to refuse. */
  readonly before?: (c: Context<E>, input: unknown, id: string) => void | Promise<void>;
  /** One line for the OpenAPI document; defaults to `Type.command`. */
  readonly summary?: string;
  /** Largest accepted body; defaults to 64 KiB. */
  readonly maxBodyBytes?: number;
}

/** The id of a route without an id in its path, e.g. a new one for a creation. */
export interface CommandRouteId<E extends Env> {
  /**
   * The aggregate id, e.g. `() => crypto.randomUUID()`. May be async, e.g. to
   * derive a creation's id from its `Idempotency-Key`, so that a retried
   * POST reaches the same aggregate and gets the first result.
   */
  readonly id: (c: Context<E>) => string | Promise<string>;
}

/** The id from a path parameter other than `:id`. */
export interface CommandRouteIdParam<Name extends string> {
  /** The path parameter that holds the aggregate id. */
  readonly idParam: Name;
}

/**
 * The options argument of {@link Resource.command}: optional when the path
 * has an `:id` (the aggregate id); otherwise it must say where the id comes
 * from — `id: (c) => …` or `idParam: '<a parameter of the path>'`.
 */
export type CommandRouteArgs<E extends Env, Path extends string> =
  'id' extends PathParamName<Path>
    ? [options?: CommandRouteOptions<E> & Partial<CommandRouteId<E>>]
    : [
        options:
          | (CommandRouteOptions<E> & CommandRouteId<E>)
          | (CommandRouteOptions<E> & CommandRouteIdParam<PathParamName<Path>>),
      ];

/**
 * The HTTP routes of one aggregate, declared like a controller: each
 * command route names the path and the command it runs, the id comes from
 * the path's `:id`, and the resource's client runs it. Queries declared
 * with `query`/`route` sit next to them and appear in the same OpenAPI
 * document. Command names and path parameters are checked at compile time.
 */
export class Resource<E extends Env, A extends Aggregate<any>> extends Routes<E> {
  private readonly aggregateClass: AggregateClass<A>;
  private readonly clientOf: ResourceOptions<E, A>['client'];

  constructor(app: Hono<E, any, any>, aggregate: AggregateClass<A>, options: ResourceOptions<E, A>) {
    super(app, options);
    this.aggregateClass = aggregate;
    this.clientOf = options.client;
  }

  /** The typed client of one aggregate instance of this resource (for query handlers). */
  client(c: Context<E, any>, id: string): AggregateClient<A> {
    return this.clientOf(c as Context<E>, id);
  }

  /**
   * Adds a route that runs one command: `POST /users` → `create`,
   * `PATCH /users/:id` → `update` on the user whose id is in the path.
   */
  command<const Path extends string, K extends CommandNames<A>>(
    method: CommandMethod,
    path: Path,
    command: K,
    ...[options]: CommandRouteArgs<E, Path>
  ): this {
    const descriptor = describeAggregate(this.aggregateClass);
    const route = `${method.toUpperCase()} ${path}`;
    const definition = descriptor.commands.get(command);
    if (!definition) throw new TypeError(`${descriptor.type} has no command '${command}' (route ${route}).`);
    const given = (options ?? {}) as CommandRouteOptions<E> & Partial<CommandRouteId<E> & CommandRouteIdParam<string>>;
    const status = given.status ?? 200;
    const handler = commandHandler<E>({
      command,
      id: given.id ?? idFromPath(path, given.idParam ?? 'id', route),
      client: this.clientOf,
      status,
      location: given.location,
      respond: given.respond,
      before: given.before,
      maxBodyBytes: given.maxBodyBytes,
      answerErrors: this.options,
    });
    this.app.on(
      method.toUpperCase(),
      path,
      documentHandler(handler, {
        summary: given.summary ?? `${descriptor.type}.${command}`,
        status,
        aggregateType: descriptor.type,
        command,
        input: inputJsonSchema(definition.input),
      }),
    );
    return this;
  }
}

/** Reads the id from a path parameter, refusing at definition time a path that does not have it. */
function idFromPath<E extends Env>(path: string, name: string, route: string): (c: Context<E>) => string {
  const names = [...path.matchAll(/:(\w+)/g)].map(([, param]) => param);
  if (!names.includes(name)) {
    throw new TypeError(
      `Route ${route} has no :${name} parameter for the aggregate id: add one to the path, ` +
        'or pass idParam (another parameter) or id: (c) => … (e.g. a new id for a creation).',
    );
  }
  return (c) => c.req.param(name) ?? '';
}

/**
 * The HTTP routes of one aggregate (see {@link Resource}): declares command
 * routes and queries on `app` without taking over its `onError` or
 * `notFound`.
 *
 * @example
 * ```ts
 * // given: aggregates (the worker's aggregateClients(…) set)
 * resource(app, Task, { client: (c, id) => aggregates(c.env, { sync: true }).task(id) })
 *   .command('post', '/tasks', 'add', { status: 201, id: () => crypto.randomUUID(), location: (id) => `/tasks/${id}` })
 *   .command('post', '/tasks/:id/complete', 'complete');
 * ```
 */
export function resource<E extends Env, A extends Aggregate<any>>(
  app: Hono<E, any, any>,
  aggregate: AggregateClass<A>,
  options: ResourceOptions<E, A>,
): Resource<E, A> {
  return new Resource(app, aggregate, options);
}
