import type { LensContext, StreamFold } from './stream-fold.js';

/**
 * One step in an event's history: how a payload of version n becomes
 * version n + 1 (`up`), and optionally back (`down`). A lens with `down` is
 * bidirectional: older code can still read events written by newer code
 * during a rolling deploy.
 */
export interface Lens<From, To, Stream = any> {
  /** `context`: the envelope's metadata and the chain's stream fold (see {@link LensContext}). */
  up(from: From, context: LensContext<Stream>): To;
  down?(to: To): From;
}

/**
 * A chronological, type-checked chain of lenses for one event type. Built
 * with {@link upcast}; each `.lens<Next>()` must accept what the previous
 * step produced, so a gap or a wrong shape does not compile.
 *
 * @typeParam Current - the shape this code emits (the last lens's output,
 *   unless `.current()` marked an earlier step).
 */
export class LensChain<Current, Last = Current, Pinned extends boolean = false, Stream = undefined> {
  /** Type-level only: lets the compiler infer and compare the chain's shapes. */
  declare readonly __shapes?: { readonly current: Current; readonly last: Last };
  /** Lens `i` turns version `i + 1` into version `i + 2`. */
  readonly lenses: ReadonlyArray<Lens<any, any>>;
  /** The version this code emits, when `.current()` marked it; otherwise the last one. */
  readonly currentVersion: number | undefined;
  /** Former type names of this event (renames): stored events with these types are read as this one. */
  readonly formerly: readonly string[];
  /** The fold over the stream's earlier events its lenses read, if any. */
  readonly streamFold: StreamFold<any> | undefined;

  constructor(
    lenses: ReadonlyArray<Lens<any, any>>,
    currentVersion: number | undefined,
    formerly: readonly string[],
    fold?: StreamFold<any>,
  ) {
    this.lenses = lenses;
    this.currentVersion = currentVersion;
    this.formerly = formerly;
    this.streamFold = fold;
  }

  /**
   * Lets the lenses added after it read a fold over the stream's earlier
   * events (`context.stream`): for a v1 → v2 step that needs data the v1
   * payload never held, e.g. the currency of the stream's `AccountOpened`.
   * Readers supply the stream's earlier events; a lens never does I/O.
   */
  withStream<S>(fold: StreamFold<S>): LensChain<Current, Last, Pinned, S> {
    return new LensChain(this.lenses, this.currentVersion, this.formerly, fold) as unknown as LensChain<
      Current,
      Last,
      Pinned,
      S
    >;
  }

  /** The number of versions the chain knows (lenses + 1). */
  get versions(): number {
    return this.lenses.length + 1;
  }

  /** Adds the next version: how `Last` becomes `Next` (a function is an up-only lens). */
  lens<Next>(
    lens: Lens<Last, Next, Stream> | ((from: Last, context: LensContext<Stream>) => Next),
  ): LensChain<Pinned extends true ? Current : Next, Next, Pinned, Stream> {
    const step = typeof lens === 'function' ? { up: lens } : lens;
    return new LensChain(
      [...this.lenses, step],
      this.currentVersion,
      this.formerly,
      this.streamFold,
    ) as unknown as LensChain<Pinned extends true ? Current : Next, Next, Pinned, Stream>;
  }

  /**
   * Marks the newest step so far as the version this code emits. Lenses
   * added after it describe *future* versions: they must have `down`, so
   * that this code can read events that newer code already writes.
   */
  current(): LensChain<Last, Last, true, Stream> {
    return new LensChain(this.lenses, this.lenses.length + 1, this.formerly, this.streamFold) as unknown as LensChain<
      Last,
      Last,
      true,
      Stream
    >;
  }
}

/**
 * Starts an event's lens chain at version 1 with the payload shape `V1`.
 * Pass `formerly` when the event type was renamed: stored events with an
 * old name are read as this event.
 *
 * @example
 * ```ts
 * interface UserCreatedV1 { name: string }
 * interface UserCreatedV2 { firstName: string; lastName: string }
 * const history = upcast<UserCreatedV1>()
 *   .lens<UserCreatedV2>({
 *     up: ({ name }) => ({ firstName: name.split(' ')[0] ?? '', lastName: name.split(' ').slice(1).join(' ') }),
 *     down: ({ firstName, lastName }) => ({ name: `${firstName} ${lastName}`.trim() }),
 *   });
 * ```
 */
export function upcast<V1>(options: { formerly?: readonly string[] } = {}): LensChain<V1, V1> {
  return new LensChain<V1, V1>([], undefined, options.formerly ?? []);
}
