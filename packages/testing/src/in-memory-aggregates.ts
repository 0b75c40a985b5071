import {
  type Aggregate,
  type AggregateClass,
  type AggregateClient,
  type Clock,
  type CommandResult,
  ConcurrencyError,
  type ExecuteOptions,
  IdempotencyKeyReusedError,
  type StateOf,
  systemClock,
} from '@escf/core';
import { engineFor, idempotencyFingerprint, streamKey } from '@escf/core/internal';
import type { EventStore } from '@escf/core/store';
import { InMemoryEventStore } from './in-memory-event-store.js';

/**
 * Runs aggregates in memory on top of any {@link EventStore}: the same
 * engine as the Durable Object host, without Cloudflare. Handy for testing
 * services and processes that issue commands.
 *
 * @example
 * ```ts
 * const host = new InMemoryAggregates();
 * const ada = host.client(User, 'ada');
 * await ada.create({ name: 'Ada', email: 'ada@example.com', password: 'correct horse' });
 * ```
 */
export class InMemoryAggregates {
  private readonly idempotency = new Map<string, { readonly fingerprint: string; readonly result: CommandResult }>();
  private readonly queues = new Map<string, Promise<unknown>>();

  private readonly clock: Clock;

  constructor(
    readonly store: EventStore = new InMemoryEventStore(),
    options: { readonly clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /**
   * The current state and version of one aggregate instance, rebuilt from
   * the store (version 0 and the initial state if it has no events).
   *
   * @example
   * ```ts
   * expect(await host.state(Account, 'acc-1')).toEqual({ version: 2, state: { status: 'open', balance: 50 } });
   * ```
   */
  async state<A extends Aggregate<any>>(
    aggregateClass: AggregateClass<A>,
    id: string,
    tenantId?: string,
  ): Promise<{ version: number; state: StateOf<A> }> {
    const engine = engineFor(aggregateClass);
    const instance = engine.create(id, tenantId);
    engine.replay(
      instance,
      await this.store.readStream({
        aggregateType: engine.type,
        aggregateId: id,
        ...(tenantId === undefined ? {} : { tenantId }),
      }),
    );
    const { state, version } = engine.stateOf(instance);
    return { version, state: state as StateOf<A> };
  }

  /** A typed client for one aggregate instance. */
  client<A extends Aggregate<any>>(
    aggregateClass: AggregateClass<A>,
    id: string,
    tenantId?: string,
  ): AggregateClient<A> {
    return new Proxy({} as AggregateClient<A>, {
      get: (_, command) =>
        typeof command !== 'string' || command === 'then'
          ? undefined
          : (input: unknown, options?: ExecuteOptions) =>
              this.execute(aggregateClass, id, tenantId, command, input ?? {}, options ?? {}),
    });
  }

  /** Runs one command; commands on one instance are serialised like in a Durable Object. */
  execute<A extends Aggregate<any>>(
    aggregateClass: AggregateClass<A>,
    id: string,
    tenantId: string | undefined,
    command: string,
    input: unknown,
    options: ExecuteOptions,
  ): Promise<CommandResult> {
    const engine = engineFor(aggregateClass);
    const stream = { aggregateType: engine.type, aggregateId: id, ...(tenantId === undefined ? {} : { tenantId }) };
    // The same tenant-safe key as every store, so two tenants never share results or a command queue.
    const key = streamKey(stream);
    const run = async (): Promise<CommandResult> => {
      const fingerprint = options.idempotencyKey === undefined ? '' : await idempotencyFingerprint(command, input);
      if (options.idempotencyKey !== undefined) {
        const earlier = this.idempotency.get(`${key}#${options.idempotencyKey}`);
        if (earlier && earlier.fingerprint !== fingerprint)
          throw IdempotencyKeyReusedError.forKey(options.idempotencyKey);
        if (earlier) return structuredClone(earlier.result);
      }
      const instance = engine.create(id, tenantId);
      engine.replay(instance, await this.store.readStream(stream));
      const version = engine.stateOf(instance).version;
      if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
        throw new ConcurrencyError(options.expectedVersion, version, key);
      }
      const decision = await engine.decide(instance, command, input, { ...options, now: this.clock.now() });
      if (decision.events.length > 0) await this.store.append(stream, decision.events, { expectedVersion: version });
      const result: CommandResult = {
        aggregateType: engine.type,
        aggregateId: id,
        version: decision.version,
        events: decision.events,
      };
      if (options.idempotencyKey !== undefined)
        this.idempotency.set(`${key}#${options.idempotencyKey}`, { fingerprint, result: structuredClone(result) });
      return result;
    };
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(run, run);
    this.queues.set(
      key,
      next.catch(() => undefined),
    );
    return next;
  }
}
