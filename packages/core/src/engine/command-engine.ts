import type { Aggregate, AggregateClass } from '../aggregate/aggregate.js';
import { AGGREGATE_CONTEXT, type AggregateContext } from '../aggregate/aggregate-context.js';
import { authorizeCommand } from '../auth/command-authorization.js';
import { isPrincipal, type Principal, principalRecord } from '../auth/principal.js';
import { InvalidEventError, StateMutationError, UnknownCommandError } from '../errors/runtime-errors.js';
import { ValidationError } from '../errors/validation-error.js';
import type { EventEnvelope, EventMetadata } from '../events/envelope.js';
import { eventDefinitionOfInstance } from '../events/event.decorator.js';
import type { EventDefinition } from '../events/event-definition.js';
import { newId } from '../events/event-id.js';
import type { AggregateDescriptor, CommandDescriptor } from '../registry/aggregate-descriptor.js';
import { describeAggregate } from '../registry/describe-aggregate.js';
import { validateAgainst } from '../schema/validate.js';
import { findIllFormedString } from '../schema/well-formed.js';
import type { StoredEvent } from '../upcast/upcaster.js';
import { deepFreeze, isFrozenWriteError } from './deep-freeze.js';
import { inputIssuesBehind } from './input-trace.js';

/** Who is running a command and why; becomes each event's metadata. */
export interface CommandContext {
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly idempotencyKey?: string;
  /** Extra metadata to store with the events (JSON values). */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Who issued the command: checked by `authorize`, recorded as `metadata.principal`. */
  readonly principal?: Principal;
  /** Clock, for tests. Defaults to `Date.now()`. */
  readonly now?: number;
}

/** The outcome of a command before it is stored: the events and the state they lead to. */
export interface Decision<S = unknown> {
  readonly events: readonly EventEnvelope[];
  readonly state: S;
  readonly version: number;
}

/** The part of a stored event the engine needs to apply it. */
export interface ApplicableEvent {
  readonly type: string;
  /** The payload's schema version as stored; older ones are upcast. Defaults to the current one. */
  readonly schemaVersion?: number;
  readonly payload: unknown;
  readonly id?: string;
  /** The envelope's metadata, which lenses may read. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/**
 * The pure command → events → state engine. One per aggregate class; every
 * host (in-memory, Durable Object) runs commands through it, so behaviour is
 * the same everywhere. It never performs I/O.
 */
export class CommandEngine<A extends Aggregate<any> = Aggregate<any>> {
  readonly descriptor: AggregateDescriptor;

  constructor(aggregateClass: AggregateClass<A>) {
    this.descriptor = describeAggregate(aggregateClass);
  }

  /** The aggregate's type name. */
  get type(): string {
    return this.descriptor.type;
  }

  /** Names of all commands, for error messages and clients. */
  get commandNames(): string[] {
    return [...this.descriptor.commands.keys()];
  }

  /** A fresh instance at version 0 with the initial state. */
  create(id: string, tenantId?: string): A {
    const instance = new this.descriptor.aggregateClass() as A;
    const initial = (instance as unknown as { initialState(): unknown }).initialState();
    setContext(instance, { id, tenantId, version: 0, state: deepFreeze(initial) });
    return instance;
  }

  /** Puts an instance at a known state and version (e.g. from a snapshot). */
  restore(instance: A, state: unknown, version: number): void {
    const context = contextOf(instance);
    context.state = deepFreeze(state);
    context.version = version;
  }

  /** The instance's current state and version. */
  stateOf(instance: A): { readonly state: unknown; readonly version: number } {
    const { state, version } = contextOf(instance);
    return { state, version };
  }

  /**
   * Applies stored events in order, advancing the version by one per stored
   * event. Each is first read through the upcaster, so events of older
   * schema versions reach the handlers in their current shape. Used to
   * rebuild state.
   */
  replay(instance: A, events: Iterable<ApplicableEvent>): void {
    const context = contextOf(instance);
    const { upcaster, reducers } = this.descriptor;
    // Lenses that fold over the stream need its earlier events: known when the replay starts at version 1.
    const earlier: StoredEvent[] | undefined = context.version === 0 ? [] : undefined;
    for (const event of events) {
      const reducer = reducers.get(event.type);
      if (reducer && (event.schemaVersion === undefined || event.schemaVersion === reducer.event.version)) {
        // The common case: stored at the current version, nothing to read through.
        context.state = this.reduce(instance, event.type, event.payload, event.id);
      } else {
        const stored = event.schemaVersion === undefined ? { ...event, schemaVersion: 1 } : (event as StoredEvent);
        for (const reading of upcaster.read(stored, earlier ? { earlier } : {})) {
          context.state = this.reduce(instance, reading.type, reading.payload, event.id);
        }
      }
      earlier?.push(
        event.schemaVersion === undefined
          ? { ...event, schemaVersion: reducer?.event.version ?? 1 }
          : (event as StoredEvent),
      );
      context.version += 1;
    }
  }

  /**
   * Runs a command against the instance's current state and returns the
   * decision without changing the instance: call {@link accept} once the
   * events are stored. Throws `UnknownCommandError`, `ValidationError`,
   * `StateMutationError`, `InvalidEventError` or whatever `DomainError` the
   * command throws.
   */
  async decide(instance: A, commandName: string, input: unknown, context: CommandContext = {}): Promise<Decision> {
    const command = this.commandNamed(commandName);
    const illFormed = findIllFormedString(input);
    if (illFormed !== undefined) {
      throw new ValidationError(`Invalid input for ${this.type}.${command.name}`, {
        details: {
          issues: [{ path: illFormed, message: 'contains a lone UTF-16 surrogate; send well-formed Unicode text' }],
        },
      });
    }
    const validated = await validateAgainst(command.input, input);
    if (!validated.ok) {
      throw new ValidationError(`Invalid input for ${this.type}.${command.name}`, {
        details: { issues: validated.issues },
      });
    }
    if (context.principal !== undefined && !isPrincipal(context.principal)) {
      throw new ValidationError(`Invalid principal for ${this.type}.${command.name}`, {
        details: { issues: [{ path: 'principal', message: 'needs a non-empty string id' }] },
      });
    }
    if (command.authorize) {
      const { id, tenantId, state, version } = contextOf(instance);
      await authorizeCommand(`${this.type}.${command.name}`, command.authorize, context.principal, {
        input: validated.value,
        aggregate: { id, tenantId, state, version },
      });
    }
    // One time per command: what `this.now()` returns and the events' timestamp.
    const now = context.now ?? Date.now();
    contextOf(instance).now = now;
    let returned: unknown;
    try {
      returned = await this.invoke(instance, command, validated.value);
    } finally {
      contextOf(instance).now = undefined;
    }
    const emitted = await this.toEmittedEvents(command, returned, validated.value);
    return this.apply(instance, emitted, { ...context, now });
  }

  /** Moves the instance to the decision's state; call after the events are durably stored. */
  accept(instance: A, decision: Decision): void {
    const context = contextOf(instance);
    context.state = decision.state;
    context.version = decision.version;
  }

  /** The command's descriptor, or `UnknownCommandError`. */
  commandNamed(name: string): CommandDescriptor {
    const command = typeof name === 'string' ? this.descriptor.commands.get(name) : undefined;
    if (!command) {
      throw UnknownCommandError.of(this.type, String(name), this.commandNames);
    }
    return command;
  }

  private async invoke(instance: A, command: CommandDescriptor, input: unknown): Promise<unknown> {
    try {
      return await command.method.call(instance, input);
    } catch (error) {
      if (isFrozenWriteError(error)) throw StateMutationError.in(`${this.type}.${command.name}`, error.message);
      throw error;
    }
  }

  private async toEmittedEvents(
    command: CommandDescriptor,
    returned: unknown,
    input: unknown,
  ): Promise<Array<{ definition: EventDefinition; payload: unknown }>> {
    const list = returned === undefined || returned === null ? [] : Array.isArray(returned) ? returned : [returned];
    const emitted: Array<{ definition: EventDefinition; payload: unknown }> = [];
    for (const event of list) {
      const definition = eventDefinitionOfInstance(event);
      const where = `${this.type}.${command.name}`;
      if (!definition) {
        throw new InvalidEventError(
          `${where} returned ${describeValue(event)}, which is not an event. Return instances of @Event classes or defineEvent classes.`,
          { details: { command: command.name } },
        );
      }
      if (command.emits && !command.emits.has(definition.type)) {
        throw new InvalidEventError(
          `${where} emitted '${definition.type}', which is not in its emits list (${[...command.emits].join(', ')}).`,
          { details: { command: command.name, event: definition.type } },
        );
      }
      if (!this.descriptor.reducers.has(definition.type)) {
        throw new InvalidEventError(
          `${where} emitted '${definition.type}' but ${this.type} has no @EventHandler for it.`,
          { details: { command: command.name, event: definition.type } },
        );
      }
      const plain = toPlainPayload(event as object, where, definition.type);
      const validated = await validateAgainst(definition.schema, plain);
      if (!validated.ok) {
        // The caller's input passed the command schema but not the event's: a 400 on that input field.
        const fromInput = inputIssuesBehind(definition.type, validated.issues, plain, input);
        if (fromInput) throw new ValidationError(`Invalid input for ${where}`, { details: { issues: fromInput } });
        throw new InvalidEventError(`${where} emitted an invalid '${definition.type}' event`, {
          details: {
            command: command.name,
            event: definition.type,
            issues: validated.issues,
          },
        });
      }
      emitted.push({
        definition,
        // A schema may transform (defaults, coercion): store what it produced.
        payload:
          (definition.schema as unknown) === definition.eventClass
            ? plain
            : toPlainPayload(validated.value as object, where, definition.type),
      });
    }
    return emitted;
  }

  private apply(
    instance: A,
    emitted: ReadonlyArray<{ definition: EventDefinition; payload: unknown }>,
    commandContext: CommandContext,
  ): Decision {
    const context = contextOf(instance);
    const before = { state: context.state, version: context.version };
    const commandId = newId();
    const timestamp = commandContext.now ?? Date.now();
    const metadata: EventMetadata = {
      ...commandContext.metadata,
      correlationId: commandContext.correlationId ?? commandId,
      causationId: commandContext.causationId ?? commandId,
      ...(context.tenantId === undefined ? {} : { tenantId: context.tenantId }),
      ...(commandContext.idempotencyKey === undefined ? {} : { idempotencyKey: commandContext.idempotencyKey }),
      // The audit trail: who issued the command that produced each event.
      ...(commandContext.principal === undefined ? {} : { principal: principalRecord(commandContext.principal) }),
    };
    const events: EventEnvelope[] = [];
    try {
      for (const { definition, payload } of emitted) {
        const version = context.version + 1;
        const envelope: EventEnvelope = {
          id: newId(),
          aggregateType: this.type,
          aggregateId: context.id,
          version,
          type: definition.type,
          schemaVersion: definition.version,
          payload,
          timestamp,
          metadata,
        };
        context.state = this.reduce(instance, definition.type, payload, envelope.id);
        context.version = version;
        events.push(envelope);
      }
      return { events, state: context.state, version: context.version };
    } finally {
      context.state = before.state;
      context.version = before.version;
    }
  }

  /** Runs one reducer and returns the frozen next state. */
  private reduce(instance: A, type: string, payload: unknown, eventId: string | undefined): unknown {
    const reducer = this.descriptor.reducers.get(type);
    if (!reducer) {
      throw new InvalidEventError(
        `${this.type} has no @EventHandler for '${type}'${eventId ? ` (event ${eventId})` : ''}.`,
        {
          details: {
            event: type,
            ...(eventId ? { eventId } : {}),
          },
        },
      );
    }
    const event = Object.assign(Object.create(reducer.event.eventClass.prototype as object) as object, payload);
    let next: unknown;
    try {
      next = reducer.reduce.call(instance, event);
    } catch (error) {
      if (isFrozenWriteError(error)) {
        throw StateMutationError.in(`${this.type}.${String(reducer.member)}`, error.message);
      }
      throw error;
    }
    if (next === undefined) {
      throw new InvalidEventError(
        `${this.type}.${String(reducer.member)} returned undefined. An @EventHandler returns the next state (return this.state if nothing changes).`,
        { details: { event: type } },
      );
    }
    return deepFreeze(next);
  }
}

const engines = new WeakMap<AggregateClass, CommandEngine<any>>();

/** The (cached) engine of an aggregate class. */
export function engineFor<A extends Aggregate<any>>(aggregateClass: AggregateClass<A>): CommandEngine<A> {
  let engine = engines.get(aggregateClass);
  if (!engine) engines.set(aggregateClass, (engine = new CommandEngine(aggregateClass)));
  return engine as CommandEngine<A>;
}

function contextOf(instance: Aggregate<any>): AggregateContext<unknown> {
  return instance[AGGREGATE_CONTEXT] as AggregateContext<unknown>;
}

function setContext(instance: Aggregate<any>, context: AggregateContext<unknown>): void {
  Object.defineProperty(instance, AGGREGATE_CONTEXT, { value: context, enumerable: false, writable: false });
}

/**
 * An event's payload as stored: a JSON round trip of its own properties, so
 * live application and later replay see exactly the same values.
 */
function toPlainPayload(event: object, where: string, type: string): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify({ ...event })) as Record<string, unknown>;
  } catch (error) {
    throw new InvalidEventError(
      `${where} emitted a '${type}' whose payload is not JSON-serialisable: ${(error as Error).message}`,
      {
        details: {
          event: type,
        },
      },
    );
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object of class ${(value as object).constructor?.name ?? 'Object'}`;
  return `a ${typeof value}`;
}
