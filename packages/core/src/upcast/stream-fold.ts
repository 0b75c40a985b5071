import { DefinitionError } from '../errors/definition-error.js';
import { eventDefinitionOf } from '../events/event.decorator.js';
import type { EventDefinition } from '../events/event-definition.js';

/**
 * What a lens may read besides the payload it upcasts: the envelope's
 * metadata (tenant, correlation id, anything stored with the event) and,
 * when its chain declares a {@link StreamFold}, the fold over the stream's
 * earlier events (e.g. the currency the stream's `AccountOpened` named).
 */
export interface LensContext<Stream = undefined> {
  /** The stored envelope's metadata; `{}` when the reader has none. */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** The chain's stream fold over the events before this one in its stream (`undefined` without a fold). */
  readonly stream: Stream;
}

/** One event type a fold reads, and how. */
export interface StreamFoldHandler<S> {
  readonly definition: EventDefinition;
  readonly apply: (state: S, payload: any) => S;
}

/**
 * A fold over a stream's earlier events, for lenses that need data the old
 * payload never held. Built with {@link streamFold}; the events it reads are
 * upcast to their current shape first, by every reader alike.
 */
export class StreamFold<S> {
  constructor(
    readonly initial: S,
    readonly handlers: ReadonlyArray<StreamFoldHandler<S>>,
  ) {}

  /** Reads events of this class: `apply(state, payload)` returns the next state. */
  on<C extends abstract new (payload: any) => any>(
    eventClass: C,
    apply: (state: S, event: InstanceType<C>) => S,
  ): StreamFold<S> {
    const definition = eventDefinitionOf(eventClass);
    if (!definition)
      throw new DefinitionError(
        `streamFold().on(${(eventClass as { name?: string })?.name ?? String(eventClass)}): not an event class (@Event or defineEvent).`,
      );
    return new StreamFold(this.initial, [...this.handlers, { definition, apply }]);
  }
}

/**
 * Starts a fold over a stream's earlier events, for a lens chain's
 * `.withStream(…)`.
 *
 * @example
 * ```ts
 * const history = upcast<DepositedV1>()
 *   .withStream(streamFold({ currency: 'EUR' }).on(AccountOpened, (_, opened) => ({ currency: opened.currency })))
 *   .lens<DepositedV2>((v1, { stream }) => ({ ...v1, currency: stream.currency }));
 * ```
 */
export function streamFold<S>(initial: S): StreamFold<S> {
  return new StreamFold(initial, []);
}
