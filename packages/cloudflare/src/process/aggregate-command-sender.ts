import { type CommandSender, DefinitionError } from '@escf/core';
import { type AggregateBinding, aggregateClients } from '../aggregate/aggregate-client.js';

/**
 * A {@link CommandSender} for processes that reaches aggregates hosted by
 * `durableObjectFor`, through their Durable Object bindings.
 *
 * @example
 * ```ts
 * processEntrypoint(Fulfilment, {
 *   commands: (env) => aggregateCommandSender(env, [{ aggregate: Order, binding: 'ORDER_AGGREGATE' }]),
 * });
 * ```
 */
export function aggregateCommandSender(
  env: object,
  bindings: readonly AggregateBinding[],
  options: { readonly sync?: boolean } = {},
): CommandSender {
  return async (target, command, input, executeOptions) => {
    const entry = bindings.find(
      (binding) => binding.aggregate.type === (target.aggregateClass as { type?: string }).type,
    );
    if (!entry) {
      throw new DefinitionError(
        `No Durable Object binding for aggregate '${(target.aggregateClass as { type?: string }).type}': add { aggregate, binding } to aggregateCommandSender.`,
      );
    }
    const clients = aggregateClients({ target: entry })(env, {
      ...(target.tenantId === undefined ? {} : { tenantId: target.tenantId }),
      ...(options.sync ? { sync: true } : {}),
    });
    const client = clients.target(target.aggregateId) as unknown as Record<
      string,
      (input: unknown, options: unknown) => Promise<never>
    >;
    return client[command]!(input, executeOptions);
  };
}
