import type { Aggregate, AggregateClass, AggregateClient, CommandResult, Principal, StateOf } from '@escf/core';
import { ValidationError } from '@escf/core';
import { aggregateClientOf, currentTraceCarrier } from '@escf/core/internal';
import { type RpcReply, unwrapReply } from '../rpc/error-encoding.js';
import { type AggregateAddress, durableObjectName } from './aggregate-address.js';
import type { AggregateState, CommandRequest } from './durable-object-host.js';
import { EVERY_SYNC_SUBSCRIBER, type SyncWait } from './sync-wait.js';

/** Where one aggregate lives: its class (for types and its name) and its Durable Object binding. */
export interface AggregateBinding<A extends Aggregate<any> = Aggregate<any>> {
  readonly aggregate: AggregateClass<A>;
  /** The Durable Object namespace binding, e.g. `USER_AGGREGATE`. */
  readonly binding: string;
}

/** Options of a client set. */
export interface AggregateClientOptions {
  /** Scope every call to this tenant: it becomes part of each aggregate's address and events. */
  readonly tenantId?: string;
  /**
   * Read-your-writes: commands resolve once their events are in D1 and
   * delivered to synchronous subscribers, not just committed in the
   * aggregate. Name the projections the caller reads (`'balances'` or
   * `['balances', 'sessions']`, as declared `delivery: 'sync'` in
   * escf.config.ts): a name the aggregate's host does not deliver to
   * synchronously fails with `SYNC_NOT_DECLARED` (`SyncNotDeclaredError` of @escf/core)
   * before the command runs, instead of silently guaranteeing only D1.
   * `true` waits for every subscriber the host delivers to synchronously,
   * and fails the same way when it declares none. `[]` waits for D1 only.
   */
  readonly sync?: boolean | string | readonly string[];
  /**
   * Who issues every command of this client set (a per-call
   * `options.principal` overrides it): e.g. the signed-in user of a request,
   * or a service principal for a process.
   */
  readonly principal?: Principal;
}

/** One aggregate type's entry in a client set: call it with an id for the typed command client. */
export interface AggregateAccessor<A extends Aggregate<any>> {
  (aggregateId: string): AggregateClient<A>;
  /** The instance's current state and version. */
  state(aggregateId: string): Promise<AggregateState<StateOf<A>>>;
}

/** The typed client set for a map of aggregate bindings. */
export type AggregateClients<M extends Record<string, AggregateBinding<any>>> = {
  readonly [K in keyof M]: M[K] extends AggregateBinding<infer A> ? AggregateAccessor<A> : never;
};

/** The RPC surface of an aggregate host, as seen through a stub. */
interface HostStub {
  execute(request: CommandRequest): Promise<RpcReply<CommandResult>>;
  executeSync(request: CommandRequest, waitFor?: SyncWait): Promise<RpcReply<CommandResult>>;
  readState(address: AggregateAddress): Promise<RpcReply<AggregateState>>;
}

/**
 * Declares typed clients for aggregates hosted by {@link durableObjectFor}.
 * Call the result with a worker's `env` (and optionally a tenant, or
 * `sync: true`) to get one accessor per aggregate. Inputs and results are
 * typed from the aggregate classes: an unknown command or a wrong input does
 * not compile. Errors come back as the same ESCF error classes, with codes
 * and details.
 *
 * @example
 * ```ts
 * const aggregates = aggregateClients({ user: { aggregate: User, binding: 'USER_AGGREGATE' } });
 * await aggregates(env).user('ada').create({ name: 'Ada', email: 'ada@example.com', password: 'correct horse' });
 * await aggregates(env, { sync: 'sessions' }).user('ada').update({ name: 'Ada L.' }); // once the sessions projection has it
 * await aggregates(env, { tenantId: 'acme' }).user('ada').delete();           // another tenant's Ada
 * ```
 */
export function aggregateClients<M extends Record<string, AggregateBinding<any>>>(
  bindings: M,
): (env: object, options?: AggregateClientOptions) => AggregateClients<M> {
  for (const [key, entry] of Object.entries(bindings)) {
    if (typeof entry?.aggregate?.type !== 'string' || typeof entry.binding !== 'string') {
      throw new TypeError(
        `aggregateClients: '${key}' needs { aggregate: <Aggregate class with static type>, binding: '<DO binding name>' }`,
      );
    }
  }
  return (env, options = {}) => {
    const clients: Record<string, AggregateAccessor<any>> = {};
    for (const [key, entry] of Object.entries(bindings)) {
      clients[key] = accessorFor(env, entry, options);
    }
    return clients as AggregateClients<M>;
  };
}

function accessorFor(env: object, entry: AggregateBinding, options: AggregateClientOptions): AggregateAccessor<any> {
  const stubFor = (aggregateId: string): { stub: HostStub; address: AggregateAddress } => {
    const namespace = (env as Record<string, unknown>)[entry.binding] as DurableObjectNamespace | undefined;
    if (!namespace || typeof namespace.idFromName !== 'function') {
      throw new TypeError(
        `Durable Object binding '${entry.binding}' (aggregate ${entry.aggregate.type}) is missing from env`,
      );
    }
    const address: AggregateAddress =
      options.tenantId === undefined ? { aggregateId } : { aggregateId, tenantId: options.tenantId };
    const stub = namespace.get(namespace.idFromName(durableObjectName(address))) as unknown as HostStub;
    return { stub, address };
  };

  const waitFor = syncWaitOf(options.sync);
  const accessor = ((aggregateId: string) => {
    const { stub, address } = stubFor(aggregateId);
    return aggregateClientOf<any>(async (command, input, executeOptions) => {
      const callOptions =
        options.principal === undefined || executeOptions?.principal !== undefined
          ? executeOptions
          : { ...executeOptions, principal: options.principal };
      const request: CommandRequest = {
        address,
        command,
        input,
        ...(callOptions === undefined ? {} : { options: callOptions }),
      };
      // Tracing on: the command continues the caller's trace (off: undefined, nothing added).
      const trace = currentTraceCarrier();
      return unwrapReply(
        await sendable(() => {
          const sent = trace === undefined ? request : { ...request, trace };
          return waitFor === undefined ? stub.execute(sent) : stub.executeSync(sent, waitFor);
        }),
      );
    });
  }) as AggregateAccessor<any>;
  accessor.state = async (aggregateId: string) => {
    const { stub, address } = stubFor(aggregateId);
    return unwrapReply(await stub.readState(address));
  };
  return accessor;
}

/**
 * Runs an RPC call whose request may hold values RPC cannot carry (objects
 * without a prototype, functions, symbols…): workerd throws a
 * `DataCloneError`, which becomes `VALIDATION_FAILED` like any other bad
 * input instead of an untyped exception.
 */
async function sendable<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name !== 'DataCloneError') throw error;
    throw new ValidationError('The command input cannot be sent to the aggregate: use plain JSON-like values', {
      details: { issues: [{ path: '', message: (error as Error).message }] },
    });
  }
}

/** What the host is asked to wait for; `undefined` = only the commit in the aggregate. */
function syncWaitOf(sync: AggregateClientOptions['sync']): SyncWait | undefined {
  if (sync === undefined || sync === false) return undefined;
  if (sync === true) return EVERY_SYNC_SUBSCRIBER;
  return typeof sync === 'string' ? [sync] : [...sync];
}
