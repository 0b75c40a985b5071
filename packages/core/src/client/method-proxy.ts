import type { Aggregate } from '../aggregate/aggregate.js';
import type { AggregateClient, CommandResult, ExecuteOptions } from './command-types.js';

/**
 * The one typed-client mechanism behind every ESCF client (aggregate
 * commands on a Durable Object, in memory or from a process; projection
 * queries over RPC): an object whose every string-named method forwards to
 * `call(name, args)`. The host supplies only the transport.
 */
export function methodProxy<T extends object>(call: (method: string, args: unknown[]) => Promise<unknown>): T {
  return new Proxy({} as T, {
    get: (_, name) =>
      // `then` must stay undefined, or `await client` would call a method named "then".
      typeof name !== 'string' || name === 'then' ? undefined : (...args: unknown[]) => call(name, args),
  });
}

/**
 * A typed {@link AggregateClient} over a transport that runs one command:
 * `send(command, input, options)`. Every host's client is this one.
 */
export function aggregateClientOf<A extends Aggregate<any>>(
  send: (command: string, input: unknown, options: ExecuteOptions | undefined) => Promise<CommandResult>,
): AggregateClient<A> {
  return methodProxy<AggregateClient<A>>((command, [input, options]) =>
    send(command, input ?? {}, options as ExecuteOptions | undefined),
  );
}
