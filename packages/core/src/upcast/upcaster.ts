import { DefinitionError } from '../errors/definition-error.js';
import { UpcastError } from '../errors/upcast-error.js';
import { eventDefinitionOfInstance } from '../events/event.decorator.js';
import type { EventDefinition } from '../events/event-definition.js';
import { validateAgainst } from '../schema/validate.js';
import type { Lens } from './lens.js';
import { retiredEventReader, type StoredEventReading } from './retired-event.js';
import type { LensContext, StreamFold } from './stream-fold.js';
import { lensChainOf } from './upcast.decorator.js';

/** A stored event as any reader holds it. */
export interface StoredEvent extends StoredEventReading {
  readonly id?: string;
  /** The envelope's metadata, which lenses may read. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/**
 * What a reader knows besides the event: the stream's earlier events, in
 * version order (all of them, from version 1), for lenses that fold over
 * the stream (`upcast().withStream(…)`). See {@link Upcaster.needsStreamHistory}.
 */
export interface ReadContext {
  readonly earlier?: readonly StoredEvent[];
}

/**
 * A stored event read as the current shape. `definition` is the reader's
 * event definition, or undefined when the reader does not know the type
 * (a projection skips those; an aggregate treats them as an error).
 */
export interface UpcastReading {
  readonly type: string;
  readonly schemaVersion: number;
  readonly payload: unknown;
  readonly definition: EventDefinition | undefined;
}

type PayloadReader = (payload: unknown, context: LensContext<unknown>) => unknown;

/** The readers of one event type, indexed by stored version; composed once. */
interface CompiledEvent {
  readonly definition: EventDefinition;
  /** `readers[v]` turns a payload stored at version v into the current shape; undefined = unreadable. */
  readonly readers: ReadonlyArray<PayloadReader | undefined>;
  /** Why a version is unreadable, for the error message. */
  readonly newestReadable: number;
  /** The chain's fold over the stream's earlier events, if its lenses read one. */
  readonly fold: StreamFold<unknown> | undefined;
}

const compiled = new WeakMap<EventDefinition, CompiledEvent>();

/**
 * Reads stored events of any schema version as the shape current code
 * expects, through each event's `@Upcast` lens chain (composed into one
 * function per stored version when the upcaster is built — at start-up, not
 * per event), renames (`formerly`), and retired events (splits, removals).
 *
 * Lenses receive the payload as parsed from storage and must not keep
 * references to it. A payload at the current version passes through untouched. One that went
 * through lenses is validated against the current schema; a lens that throws,
 * a result that fails the schema, or a version this code cannot read fails
 * with an {@link UpcastError} naming the event id, type and stored version.
 */
export class Upcaster {
  private readonly byType = new Map<string, CompiledEvent>();

  constructor(definitions: Iterable<EventDefinition>) {
    for (const definition of definitions) {
      const event = compile(definition);
      this.claim(definition.type, event);
      for (const former of lensChainOf(definition.eventClass)?.formerly ?? []) this.claim(former, event);
    }
  }

  /**
   * True when reading `stored` needs the stream's earlier events: it is at
   * an older version of an event whose lenses fold over the stream. Readers
   * that hold single events (projections, processes) then load them and
   * pass them as `context.earlier`.
   */
  needsStreamHistory(stored: StoredEvent): boolean {
    const event = this.byType.get(stored.type);
    return event !== undefined && event.fold !== undefined && stored.schemaVersion < event.definition.version;
  }

  /** Reads one stored event as zero (a removal), one, or several (a split) current events. */
  read(stored: StoredEvent, context: ReadContext = {}): UpcastReading[] {
    const event = this.byType.get(stored.type);
    if (event) return [readKnown(event, stored, context)];
    const retired = retiredEventReader(stored.type);
    if (retired) return this.readRetired(retired, stored);
    return [{ type: stored.type, schemaVersion: stored.schemaVersion, payload: stored.payload, definition: undefined }];
  }

  private readRetired(
    readAs: NonNullable<ReturnType<typeof retiredEventReader>>,
    stored: StoredEvent,
  ): UpcastReading[] {
    let outputs: ReturnType<typeof readAs>;
    try {
      outputs = readAs(stored.payload, stored);
    } catch (error) {
      throw UpcastError.of(`its retiredEvent reader threw: ${(error as Error)?.message ?? String(error)}`, stored);
    }
    return outputs.flatMap((output) => {
      const definition = eventDefinitionOfInstance(output);
      if (!definition) return this.read({ ...(output as StoredEventReading), ...(stored.id ? { id: stored.id } : {}) });
      const payload = JSON.parse(JSON.stringify({ ...output })) as unknown;
      return [
        {
          type: definition.type,
          schemaVersion: definition.version,
          payload,
          definition: this.byType.get(definition.type)?.definition ?? definition,
        },
      ];
    });
  }

  private claim(type: string, event: CompiledEvent): void {
    const existing = this.byType.get(type);
    if (existing && existing.definition !== event.definition) {
      throw new DefinitionError(
        `Event type name '${type}' is claimed by two events ('${existing.definition.type}' and '${event.definition.type}'); a type name — current or former — belongs to one event.`,
      );
    }
    this.byType.set(type, event);
  }
}

function readKnown(event: CompiledEvent, stored: StoredEvent, context: ReadContext): UpcastReading {
  const { definition } = event;
  if (stored.schemaVersion === definition.version) {
    return { type: definition.type, schemaVersion: definition.version, payload: stored.payload, definition };
  }
  const reader = event.readers[stored.schemaVersion];
  if (!reader) {
    throw UpcastError.of(
      stored.schemaVersion > definition.version
        ? `it was written by newer code; this code emits version ${definition.version} and can read up to version ${event.newestReadable}. Add a lens with \`down\` for version ${stored.schemaVersion} (see upcast().current()), or finish the deploy.`
        : `no lens leads from version ${stored.schemaVersion} to ${definition.version}.`,
      stored,
    );
  }
  let payload: unknown;
  try {
    payload = reader(stored.payload, {
      metadata: stored.metadata ?? {},
      stream: event.fold && stored.schemaVersion < definition.version ? foldStream(event, stored, context) : undefined,
    });
  } catch (error) {
    if (error instanceof UpcastError) throw error;
    throw UpcastError.of(`a lens threw: ${(error as Error)?.message ?? String(error)}`, stored);
  }
  const validated = validateAgainst(definition.schema, payload);
  if (validated instanceof Promise) {
    throw UpcastError.of('the current schema validates asynchronously, which reading events cannot wait for.', stored);
  }
  if (!validated.ok) {
    throw UpcastError.of(`the upcast payload does not match the current schema of '${definition.type}'.`, stored, {
      details: {
        issues: validated.issues,
      },
    });
  }
  // Keep the lens's plain output: a DTO class's validated value is an instance.
  const value = (definition.schema as unknown) === definition.eventClass ? payload : validated.value;
  return { type: definition.type, schemaVersion: definition.version, payload: value, definition };
}

/** The chain's fold over the events before `stored` in its stream, each read as its current shape. */
function foldStream(event: CompiledEvent, stored: StoredEvent, context: ReadContext): unknown {
  const fold = event.fold!;
  const earlier = context.earlier;
  if (!earlier) {
    throw UpcastError.of(
      "its lenses fold over the stream's earlier events (upcast().withStream(…)), but the reader did not supply them; read the stream from version 1, or pass them as context.earlier.",
      stored,
    );
  }
  let state = fold.initial;
  earlier.forEach((previous, index) => {
    const handler = fold.handlers.find(
      (h) =>
        h.definition.type === previous.type ||
        (lensChainOf(h.definition.eventClass)?.formerly ?? []).includes(previous.type),
    );
    if (!handler) return;
    const reading = readKnown(compile(handler.definition), previous, { earlier: earlier.slice(0, index) });
    state = handler.apply(state, reading.payload);
  });
  return state;
}

/** Checks a definition's chain against its version and composes one reader per stored version. */
function compile(definition: EventDefinition): CompiledEvent {
  const cached = compiled.get(definition);
  if (cached) return cached;
  const chain = lensChainOf(definition.eventClass);
  const lenses = chain?.lenses ?? [];
  const current = definition.version;
  const where = `Event '${definition.type}'`;
  if (lenses.length + 1 < current) {
    throw new DefinitionError(
      `${where} is at version ${current} but its lens chain only reaches version ${lenses.length + 1}: add the lens${current - lenses.length - 1 > 1 ? 'es' : ''} up to version ${current} with @Upcast(upcast<V1>().lens<V2>(…)…).`,
    );
  }
  if (chain?.currentVersion !== undefined && chain.currentVersion !== current) {
    throw new DefinitionError(
      `${where} emits version ${current} but its lens chain marks version ${chain.currentVersion} as current; make them agree.`,
    );
  }
  const readers: Array<PayloadReader | undefined> = [];
  let newestReadable = current;
  for (let version = 1; version <= lenses.length + 1; version++) {
    if (version < current) readers[version] = composeUp(lenses.slice(version - 1, current - 1));
    else if (version === current) readers[version] = (payload) => payload;
    else {
      const downs = lenses.slice(current - 1, version - 1);
      const missing = downs.findIndex((lens) => typeof lens.down !== 'function');
      if (missing !== -1) {
        throw new DefinitionError(
          `${where}: the lens from version ${current + missing} to ${current + missing + 1} describes a version newer than the one this code emits (${current}), so it needs \`down\` to let this code read events newer code writes.`,
        );
      }
      readers[version] = composeDown(downs);
      newestReadable = version;
    }
  }
  const event = { definition, readers, newestReadable, fold: chain?.streamFold };
  compiled.set(definition, event);
  return event;
}

function composeUp(lenses: ReadonlyArray<Lens<any, any>>): PayloadReader {
  if (lenses.length === 1) {
    const [only] = lenses;
    return (payload, context) => only!.up(payload, context);
  }
  return (payload, context) => {
    let value = payload;
    for (let i = 0; i < lenses.length; i++) value = lenses[i]!.up(value, context);
    return value;
  };
}

function composeDown(lenses: ReadonlyArray<Lens<any, any>>): PayloadReader {
  const reversed = [...lenses].reverse();
  return (payload) => {
    let value = payload;
    for (let i = 0; i < reversed.length; i++) value = reversed[i]!.down!(value);
    return value;
  };
}
