import {
  type Aggregate,
  type AggregateClass,
  type AggregateClient,
  type Clock,
  type CommandResult,
  type ExecuteOptions,
  type StateOf,
  systemClock,
} from '@escf/core';
import {
  aggregateClientOf,
  engineFor,
  runCommandPipeline,
  STORED_EVENT_MAX_BYTES,
  streamKey,
} from '@escf/core/internal';
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
  private readonly maxEventBytes: number;

  /**
   * `maxEventBytes` is the largest event (its JSON envelope) a command may
   * commit; by default the Durable Object host's limit for stored events
   * (1 MiB), so a test refuses what production refuses (`EVENT_TOO_LARGE`).
   */
  constructor(
    readonly store: EventStore = new InMemoryEventStore(),
    options: { readonly clock?: Clock; readonly maxEventBytes?: number } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.maxEventBytes = options.maxEventBytes ?? STORED_EVENT_MAX_BYTES;
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
    return aggregateClientOf<A>((command, input, options) =>
      this.execute(aggregateClass, id, tenantId, command, input, options ?? {}),
    );
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
      const instance = engine.create(id, tenantId);
      engine.replay(instance, await this.store.readStream(stream));
      const version = engine.stateOf(instance).version;
      // The same pipeline as the Durable Object host: idempotency, expected version, decide, size check, commit.
      return runCommandPipeline(
        engine,
        { instance, aggregateId: id, command, input, options, now: this.clock.now(), streamName: key },
        {
          maxEventBytes: this.maxEventBytes,
          publishesToQueues: false,
          findIdempotentResult: (idempotencyKey) => {
            const earlier = this.idempotency.get(`${key}#${idempotencyKey}`);
            return earlier && { fingerprint: earlier.fingerprint, result: structuredClone(earlier.result) };
          },
          commit: async ({ decision, result, idempotency }) => {
            if (decision.events.length > 0)
              await this.store.append(stream, decision.events, { expectedVersion: version });
            if (idempotency)
              this.idempotency.set(`${key}#${idempotency.key}`, {
                fingerprint: idempotency.fingerprint,
                result: structuredClone(result),
              });
          },
        },
      );
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
