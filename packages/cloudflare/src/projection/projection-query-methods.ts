import { replyFrom } from '../rpc/error-encoding.js';

/**
 * The projection's query methods as RPC methods of its entrypoint: each one
 * calls the same method on the projection instance `target` gives (the
 * active side's, for blue/green projections). How query results cross RPC
 * is decided here and only here: each answers an `RpcReply` (workerd keeps
 * only name and message of a thrown error); `projectionClients` unwraps it
 * on the caller's side.
 */
export function installQueryMethods(
  entrypoint: { readonly prototype: object },
  queries: readonly string[],
  target: (entrypoint: any) => object | Promise<object>,
): void {
  for (const query of queries) {
    Object.defineProperty(entrypoint.prototype, query, {
      value: function (this: unknown, ...args: unknown[]) {
        return replyFrom(async () => call(await target(this), query, args));
      },
      writable: true,
      configurable: true,
    });
  }
}

function call(projection: object, query: string, args: unknown[]): unknown {
  const methods = projection as Record<string, (...a: unknown[]) => unknown>;
  return methods[query]!.apply(projection, args);
}
