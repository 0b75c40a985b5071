import {
  type Aggregate,
  type AggregateClass,
  type Clock,
  type CommandInput,
  type CommandNames,
  type DomainEvent,
  EscfError,
  type EventEnvelope,
  type ExecuteOptions,
  type StateOf,
} from '@escf/core';
import { type ApplicableEvent, engineFor } from '@escf/core/internal';
import { eventDefinitionOf } from '@escf/core/upcast';
import { expect } from 'vitest';

/** An expected event: an event instance, or its type name and (partial, matcher-friendly) payload. */
export type ExpectedEvent = DomainEvent<any> | { readonly type: string; readonly payload?: unknown };

/** What a scenario's `when` produced, for further assertions. */
export interface ScenarioOutcome<S> {
  readonly events: readonly EventEnvelope[];
  readonly state: S;
  readonly version: number;
}

/**
 * Given/when/then for one aggregate, on the same engine the hosts use.
 *
 * @example
 * ```ts
 * const user = scenario(User);
 * await user.given(new UserCreated({ … })).when('delete', {}).thenEvents(new UserDeleted({}));
 * await user.given().when('delete', {}).thenError('NOT_FOUND');
 * ```
 */
export function scenario<A extends Aggregate<any>>(
  aggregateClass: AggregateClass<A>,
  id = 'test-id',
  tenantId?: string,
  clock?: Clock,
) {
  const whenOn = (history: readonly ApplicableEvent[]) => ({
    /** The command under test. */
    when<K extends CommandNames<A>>(command: K, input: CommandInput<A, K>, options: ExecuteOptions = {}) {
      return new When<A>(aggregateClass, id, tenantId, history, command, input, options, clock);
    },
  });
  return {
    /** The events that already happened to the aggregate, oldest first. */
    given(...history: DomainEvent<any>[]) {
      return whenOn(history.map(toStored));
    },
    /**
     * History as it is stored, at any schema version: `{ type, schemaVersion,
     * payload }` (or event instances), read through the events' `@Upcast`
     * lenses like a host reads its storage.
     *
     * @example
     * ```ts
     * await account.givenStored({ type: 'AccountOpened', schemaVersion: 1, payload: { owner: 'Ada' } })
     *   .when('deposit', { amount: 5 }).thenState((s) => expect(s.currency).toBe('EUR'));
     * ```
     */
    givenStored(...history: Array<ApplicableEvent | DomainEvent<any>>) {
      return whenOn(
        history.map((event) =>
          eventDefinitionOf((event as object).constructor)
            ? toStored(event as DomainEvent<any>)
            : (event as ApplicableEvent),
        ),
      );
    },
    /** The same scenario with commands running at a controllable time (`this.now()`, event timestamps). */
    withClock(testClock: Clock) {
      return scenario(aggregateClass, id, tenantId, testClock);
    },
  };
}

function toStored(event: DomainEvent<any>): ApplicableEvent {
  const definition = eventDefinitionOf(event.constructor);
  if (!definition) throw new TypeError(`given(): ${String(event)} is not an event instance`);
  return { type: definition.type, payload: JSON.parse(JSON.stringify({ ...event })) };
}

/** The assertions of a scenario. Each runs the command afresh. */
export class When<A extends Aggregate<any>> {
  constructor(
    private readonly aggregateClass: AggregateClass<A>,
    private readonly id: string,
    private readonly tenantId: string | undefined,
    private readonly history: readonly ApplicableEvent[],
    private readonly command: string,
    private readonly input: unknown,
    private readonly options: ExecuteOptions,
    private readonly clock?: Clock,
  ) {}

  /** Expects exactly these events, in order (payloads compared with `toEqual`, so matchers work). */
  async thenEvents(...expected: ExpectedEvent[]): Promise<ScenarioOutcome<StateOf<A>>> {
    const outcome = await this.run();
    expect(outcome.events.map((e) => ({ type: e.type, payload: e.payload }))).toEqual(expected.map(toComparable));
    return outcome;
  }

  /** Expects no events (the command succeeded and changed nothing). */
  async thenNothing(): Promise<ScenarioOutcome<StateOf<A>>> {
    return this.thenEvents();
  }

  /** Expects the state after the command to equal `expected` (or a predicate's assertions to pass). */
  async thenState(expected: StateOf<A> | ((state: StateOf<A>) => void)): Promise<ScenarioOutcome<StateOf<A>>> {
    const outcome = await this.run();
    if (typeof expected === 'function') (expected as (state: StateOf<A>) => void)(outcome.state);
    else expect(outcome.state).toEqual(expected);
    return outcome;
  }

  /** Expects the command to fail with an ESCF error of this code (and, optionally, a message match). */
  async thenError(code: string, message?: string | RegExp): Promise<EscfError> {
    let outcome: ScenarioOutcome<StateOf<A>> | undefined;
    try {
      outcome = await this.run();
    } catch (error) {
      if (!(error instanceof EscfError)) throw error;
      expect({ code: error.code }).toEqual({ code });
      if (message !== undefined) expect(error.message).toMatch(message);
      return error;
    }
    expect.fail(
      `Expected error ${code} but the command succeeded with ${outcome.events.map((e) => e.type).join(', ') || 'no events'}`,
    );
  }

  private async run(): Promise<ScenarioOutcome<StateOf<A>>> {
    const engine = engineFor(this.aggregateClass);
    const instance = engine.create(this.id, this.tenantId);
    engine.replay(instance, this.history);
    const decision = await engine.decide(instance, this.command, this.input, {
      ...this.options,
      ...(this.clock ? { now: this.clock.now() } : {}),
    });
    // State must survive storage unchanged: a Map, Date or class instance would not.
    expect(JSON.parse(JSON.stringify(decision.state)), 'aggregate state must be plain JSON').toEqual(decision.state);
    return { events: decision.events, state: decision.state as StateOf<A>, version: decision.version };
  }
}

function toComparable(event: ExpectedEvent): { type: string; payload: unknown } {
  const definition = eventDefinitionOf((event as object).constructor);
  if (definition) return { type: definition.type, payload: { ...event } };
  const described = event as { type: string; payload?: unknown };
  return { type: described.type, payload: 'payload' in described ? described.payload : expect.anything() };
}
