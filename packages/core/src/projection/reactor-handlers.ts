import type { EventHandlerMetadata } from '../aggregate/event-handler.decorator.js';
import { DefinitionError } from '../errors/definition-error.js';
import { eventDefinitionOf } from '../events/event.decorator.js';
import type { EventDefinition } from '../events/event-definition.js';
import { MetadataKey } from '../metadata/metadata-keys.js';
import { defineClassMetadata, getMemberMetadata } from '../metadata/metadata-store.js';

/** One `@EventHandler` method of a projection or process. */
export interface ReactorHandler {
  readonly event: EventDefinition;
  readonly member: string | symbol;
}

/**
 * Collects the `@EventHandler` methods of a projection or process class,
 * keyed by event type name; one handler per type. Shared by
 * `describeProjection` and `describeProcess`.
 */
export function reactorHandlers(reactorClass: Function, where: string): Map<string, ReactorHandler> {
  const handlers = new Map<string, ReactorHandler>();
  for (const [member, meta] of getMemberMetadata<EventHandlerMetadata>(
    reactorClass.prototype as object,
    MetadataKey.EventHandler,
  )) {
    const event = eventDefinitionOf(meta.event);
    if (!event) throw new DefinitionError(`${where}.${String(member)} handles a class that is not a declared event.`);
    const existing = handlers.get(event.type);
    if (existing) {
      throw new DefinitionError(
        `${where} handles '${event.type}' twice (${String(existing.member)} and ${String(member)}); keep one handler per event type.`,
      );
    }
    handlers.set(event.type, { event, member });
  }
  return handlers;
}

/** Stable names of projections and processes: they become binding and table prefixes. */
export function checkedReactorName(name: unknown, where: string): string {
  if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
    throw new DefinitionError(
      `${where}: the name must be letters, digits, '_' or '-' starting with a letter, e.g. 'sessions' (got ${JSON.stringify(name)}).`,
    );
  }
  return name;
}

/**
 * The class decorator behind `@Projection(name)` and `@Process(name)`: checks
 * the name and records `{ name }` under the reactor's metadata key.
 */
export function reactorClassDecorator(decorator: '@Projection' | '@Process', key: MetadataKey, name: string) {
  // biome-ignore lint/correctness/noUnusedFunctionParameters: part of the TC39 decorator signature
  return <C extends abstract new (...args: any[]) => object>(target: C, context?: unknown): C => {
    if (typeof target !== 'function') throw new DefinitionError(`${decorator} decorates a class.`);
    defineClassMetadata(target, key, {
      name: checkedReactorName(name, `${decorator} on ${target.name || '(anonymous class)'}`),
    });
    return target;
  };
}
