import {
  ConcurrencyError,
  type Aggregate,
  type AggregateClass,
  type AggregateClient,
  type CommandResult,
  type ExecuteOptions,
} from '@escf/core';
import { type EventStore } from '@escf/core/store';
import { engineFor } from '@escf/core/internal';
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
  private readonly idempotency = new Map<string, CommandResult>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(readonly store: EventStore = new InMemoryEventStore()) {}

  /** A typed client for one aggregate instance. */
  client<A extends Aggregate<any>>(aggregateClass: AggregateClass<A>, id: string, tenantId?: string): AggregateClient<A> {
    return new Proxy({} as AggregateClient<A>, {
      get: (_, command) =>
        typeof command !== 'string' || command === 'then'
          ? undefined
          : (input: unknown, options?: ExecuteOptions) => this.execute(aggregateClass, id, tenantId, command, input ?? {}, options ?? {}),
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
    const key = `${tenantId ?? ''}/${engine.type}/${id}`;
    const run = async (): Promise<CommandResult> => {
      if (options.idempotencyKey !== undefined) {
        const earlier = this.idempotency.get(`${key}#${options.idempotencyKey}`);
        if (earlier) return structuredClone(earlier);
      }
      const instance = engine.create(id, tenantId);
      engine.replay(instance, await this.store.readStream(stream));
      const version = engine.stateOf(instance).version;
      if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
        throw new ConcurrencyError(options.expectedVersion, version, key);
      }
      const decision = await engine.decide(instance, command, input, options);
      if (decision.events.length > 0) await this.store.append(stream, decision.events, { expectedVersion: version });
      const result: CommandResult = { aggregateType: engine.type, aggregateId: id, version: decision.version, events: decision.events };
      if (options.idempotencyKey !== undefined) this.idempotency.set(`${key}#${options.idempotencyKey}`, structuredClone(result));
      return result;
    };
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(run, run);
    this.queues.set(key, next.catch(() => undefined));
    return next;
  }
}
