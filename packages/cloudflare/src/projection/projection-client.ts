import type { ProjectionClass, ProjectionQueries } from '@escf/core';
import { methodProxy } from '@escf/core/internal';
import { type RpcReply, unwrapReply } from '../rpc/error-encoding.js';

/** A projection's queries as its entrypoint answers them over RPC: the same arguments, an `RpcReply` result. */
export type ProjectionQueryReplies<P> = {
  readonly [K in keyof ProjectionQueries<P>]: ProjectionQueries<P>[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<RpcReply<Awaited<R>>>
    : never;
};

/** A typed client of one projection: its query methods, returning values and throwing ESCF errors. */
export type ProjectionClient<P> = {
  readonly [K in keyof ProjectionQueries<P>]: ProjectionQueries<P>[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

/** The `@Projection` class a generated projection entrypoint serves (see `projectionEntrypoint`). */
export type ProjectionOf<E> = E extends { readonly projectionClass: ProjectionClass<infer P, any> } ? P : never;

/** The typed clients of a map from service binding name to projection class instance type. */
export type ProjectionClients<M extends object> = { readonly [K in keyof M]: ProjectionClient<M[K]> };

/**
 * Typed clients for the projections a worker queries — the counterpart of
 * `aggregateClients`. A query method of the projection class returns a
 * value or throws an ESCF error; the client returns the same value or
 * throws the same error class, with its code and details, across the RPC
 * hop. `escf generate` writes the map type `EscfProjections` (service
 * binding → projection) into each worker's `escf-env.generated.ts`.
 *
 * @example
 * ```ts
 * import type { EscfEnv, EscfProjections } from './escf-env.generated.js';
 * const user = await projectionClients<EscfProjections>(env).USERS.get(id); // NotFound if there is none
 * ```
 */
export function projectionClients<M extends object>(env: object): ProjectionClients<M> {
  return new Proxy({} as ProjectionClients<M>, {
    get: (_, binding) => {
      if (typeof binding !== 'string' || binding === 'then') return undefined;
      const service = (env as Record<string, unknown>)[binding] as Record<string, unknown> | undefined;
      if (!service) throw new TypeError(`The projection service binding '${binding}' is missing from env`);
      return methodProxy((query, args) =>
        (service[query] as (...a: unknown[]) => Promise<RpcReply<unknown>>)(...args).then(unwrapReply),
      );
    },
  });
}
