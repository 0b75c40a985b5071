import type { Aggregate, AggregateClass } from '../aggregate/aggregate.js';
import type { CommandMetadata } from '../aggregate/command.decorator.js';
import type { EventHandlerMetadata } from '../aggregate/event-handler.decorator.js';
import { DefinitionError } from '../errors/definition-error.js';
import { checkedTypeName, eventDefinitionOf } from '../events/event.decorator.js';
import { MetadataKey } from '../metadata/metadata-keys.js';
import { getMemberMetadata } from '../metadata/metadata-store.js';
import { Upcaster } from '../upcast/upcaster.js';
import type { AggregateDescriptor, CommandDescriptor, ReducerDescriptor } from './aggregate-descriptor.js';
import { hashString } from './fingerprint.js';

const cache = new WeakMap<AggregateClass, AggregateDescriptor>();

/**
 * Reads and validates the metadata of one aggregate class, once; later calls
 * return the same frozen descriptor. Throws a {@link DefinitionError} that
 * names the class and member for every mistake it finds.
 */
export function describeAggregate(aggregateClass: AggregateClass): AggregateDescriptor {
  const cached = cache.get(aggregateClass);
  if (cached) return cached;
  const descriptor = buildDescriptor(aggregateClass);
  cache.set(aggregateClass, descriptor);
  return descriptor;
}

function buildDescriptor(aggregateClass: AggregateClass): AggregateDescriptor {
  const className = aggregateClass?.name || '(anonymous class)';
  if (typeof aggregateClass !== 'function') {
    throw new DefinitionError(`Expected an aggregate class, got ${String(aggregateClass)}.`);
  }
  const type = (aggregateClass as { type?: unknown }).type;
  if (typeof type !== 'string') {
    throw new DefinitionError(
      `${className} has no stable type name. Add \`static readonly type = '${className}';\` — ESCF never uses the class name, which bundlers may change.`,
    );
  }
  checkedTypeName(type, `${className}.type`);
  const prototype = aggregateClass.prototype as Aggregate & { initialState?: unknown };
  if (typeof prototype.initialState !== 'function') {
    throw new DefinitionError(`${className} has no initialState() method. Return the state a new ${type} starts from.`);
  }

  const reducers = new Map<string, ReducerDescriptor>();
  for (const [member, meta] of getMemberMetadata<EventHandlerMetadata>(prototype, MetadataKey.EventHandler)) {
    const event = eventDefinitionOf(meta.event);
    if (!event) {
      throw new DefinitionError(`${className}.${String(member)} handles a class that is not a declared event.`);
    }
    const existing = reducers.get(event.type);
    if (existing) {
      throw new DefinitionError(
        existing.event.eventClass === event.eventClass
          ? `${className} handles '${event.type}' twice (${String(existing.member)} and ${String(member)}); keep one handler per event.`
          : `${className} handles two different classes named '${event.type}' (${String(existing.member)} and ${String(member)}); event type names must be unique.`,
      );
    }
    reducers.set(event.type, {
      event,
      member,
      reduce: (prototype as unknown as Record<string | symbol, ReducerDescriptor['reduce']>)[member]!,
    });
  }

  const commands = new Map<string, CommandDescriptor>();
  for (const [member, meta] of getMemberMetadata<CommandMetadata>(prototype, MetadataKey.Command)) {
    if ([...reducers.values()].some((r) => r.member === member)) {
      throw new DefinitionError(
        `${className}.${String(member)} is both a @Command and an @EventHandler. Commands decide which events happen; handlers apply them: use two methods.`,
      );
    }
    let emits: Set<string> | undefined;
    if (meta.emits) {
      emits = new Set();
      for (const eventClass of meta.emits) {
        const event = eventDefinitionOf(eventClass)!;
        const reducer = reducers.get(event.type);
        if (!reducer) {
          throw new DefinitionError(
            `${className}.${meta.name} can emit '${event.type}' but ${className} has no @EventHandler(${eventClass.name || event.type}). Add a handler that returns the next state (return this.state if nothing changes).`,
          );
        }
        if (reducer.event.eventClass !== event.eventClass) {
          throw new DefinitionError(
            `${className}.${meta.name} emits a class named '${event.type}' that is not the one its handler ${String(reducer.member)} handles; event type names must be unique.`,
          );
        }
        emits.add(event.type);
      }
    }
    commands.set(meta.name, {
      name: meta.name,
      input: meta.input,
      emits,
      ...(meta.authorize === undefined ? {} : { authorize: meta.authorize }),
      method: (prototype as unknown as Record<string, CommandDescriptor['method']>)[meta.name]!,
    });
  }

  const handlerSources = [...reducers.values()]
    .map((r) => `${r.event.type}@${r.event.version}:${r.reduce.toString()}`)
    .sort();
  const fingerprint = hashString(
    [
      type,
      String((aggregateClass as { stateVersion?: unknown }).stateVersion ?? ''),
      prototype.initialState.toString(),
      ...handlerSources,
    ].join('\n'),
  );

  const upcaster = new Upcaster([...reducers.values()].map((r) => r.event));
  return Object.freeze({ type, aggregateClass, commands, reducers, fingerprint, upcaster });
}
