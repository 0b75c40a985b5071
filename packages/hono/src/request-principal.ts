import type { Principal } from '@escf/core';
import type { Context, Env } from 'hono';

/** Turns a request into its principal (undefined: anonymous). */
export type Authenticate<E extends Env = any> = (
  c: Context<E>,
) => Principal | undefined | Promise<Principal | undefined>;

interface RequestState {
  readonly authenticate: Authenticate;
  principal?: Promise<Principal | undefined>;
}

// Keyed by the request's Context: Hono passes one Context through every middleware and handler of a request.
const states = new WeakMap<Context, RequestState>();

/** Records how `principalOf` authenticates this request (by `escfMiddleware`). */
export function setAuthenticate(c: Context, authenticate: Authenticate): void {
  states.set(c, { authenticate });
}

/**
 * The principal of a request, from the `authenticate` option of
 * {@link escfMiddleware}; undefined for an anonymous request or when no
 * middleware authenticates (commands with `authorize` then answer 401:
 * a missing middleware fails closed). Authenticates once per request, on
 * first use, so routes that never ask do not pay for it.
 */
export function principalOf(c: Context): Promise<Principal | undefined> {
  const state = states.get(c);
  if (state === undefined) return Promise.resolve(undefined);
  state.principal ??= Promise.resolve().then(() => state.authenticate(c));
  return state.principal;
}
