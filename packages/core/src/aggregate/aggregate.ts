import { AGGREGATE_CONTEXT, type AggregateContext } from './aggregate-context.js';

/**
 * Base class of every aggregate: the consistency boundary for one entity.
 * Subclass it, give it a stable `static readonly type` name (stored with
 * every event and used to address the aggregate; never derived from the
 * class name, which bundlers may minify), an `initialState()`,
 * `@Command` methods that decide which events happen and `@EventHandler`
 * methods that compute the next state from each event.
 *
 * State is a plain, JSON-serialisable value and is frozen: commands read
 * `this.state` and return events; only event handlers produce a new state.
 *
 * @typeParam S - the aggregate's state.
 *
 * @example
 * ```ts
 * export class Counter extends Aggregate<{ count: number }> {
 *   static readonly type = 'Counter';
 *   protected initialState() { return { count: 0 }; }
 *
 *   @Command(z.object({ by: z.number().int().positive() }), { emits: [Incremented] })
 *   increment(input: { by: number }) { return new Incremented({ by: input.by }); }
 *
 *   @EventHandler(Incremented)
 *   protected incremented(e: Incremented) { return { count: this.state.count + e.by }; }
 * }
 * ```
 */
export abstract class Aggregate<S = unknown> {
  /** @internal set by the engine before each command or replay. */
  declare [AGGREGATE_CONTEXT]: AggregateContext<S>;

  /** The state every new instance starts from, before any event. */
  protected abstract initialState(): S;

  /** The aggregate instance's id. */
  get id(): string {
    return this[AGGREGATE_CONTEXT].id;
  }

  /** The tenant the instance belongs to, if the system is multi-tenant. */
  get tenantId(): string | undefined {
    return this[AGGREGATE_CONTEXT].tenantId;
  }

  /** The number of events applied so far (0 for a new instance). */
  get version(): number {
    return this[AGGREGATE_CONTEXT].version;
  }

  /** The current state. Read-only: it is deeply frozen. */
  get state(): Readonly<S> {
    return this[AGGREGATE_CONTEXT].state;
  }

  /**
   * The time of the command being decided, from the host's clock (a test
   * clock in tests): use it instead of `Date.now()` for expiry checks, so
   * they can be tested. Also the timestamp of the events the command emits.
   */
  protected now(): number {
    return this[AGGREGATE_CONTEXT].now ?? Date.now();
  }
}

/** The static side of an aggregate class, as the registry and hosts see it. */
export interface AggregateClass<A extends Aggregate<any> = Aggregate<any>> {
  new (): A;
  readonly type: string;
  readonly prototype: A;
}

/** The state type of an aggregate instance type. */
export type StateOf<A> = A extends Aggregate<infer S> ? S : never;
