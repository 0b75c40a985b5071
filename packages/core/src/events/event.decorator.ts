import { DefinitionError } from '../errors/definition-error.js';
import { classValidatorNeedsExperimentalDecorators, isStandardDecoratorContext } from '../metadata/decorator-mode.js';
import { MetadataKey } from '../metadata/metadata-keys.js';
import { defineClassMetadata, getClassMetadata } from '../metadata/metadata-store.js';
import { DomainEvent, type EventClass } from './domain-event.js';
import type { EventDefinition, EventOptions } from './event-definition.js';

/**
 * Declares a class-based event with a stable type name. The class extends
 * {@link DomainEvent} and declares its payload as fields decorated with
 * class-validator; every emitted instance is validated against them.
 *
 * The name is what is stored, so it never depends on the class name (which
 * bundlers may minify). Raise `version` when the payload shape changes and
 * declare an `@Upcast` from the previous version.
 *
 * Mark fields that hold secrets or personal data with `sensitive`.
 *
 * @example
 * ```ts
 * @Event('UserCreated', { version: 1, sensitive: ['passwordHash'] })
 * export class UserCreated extends DomainEvent<UserCreated> {
 *   @IsString() name!: string;
 *   @IsString() passwordHash!: string;
 * }
 * ```
 */
export function Event(type: string, options: EventOptions<any> = {}) {
  return <C extends EventClass>(target: C, context?: unknown): C => {
    const className = target.name || '(anonymous class)';
    if (isStandardDecoratorContext(context))
      throw classValidatorNeedsExperimentalDecorators(`@Event('${type}')`, className);
    if (!(target.prototype instanceof DomainEvent)) {
      throw new DefinitionError(
        `@Event('${type}') on ${className}: an event class must extend DomainEvent, e.g. \`class ${className} extends DomainEvent<${className}> { … }\`.`,
      );
    }
    // Re-assign the payload after the subclass's own field initialisers have
    // run: with `useDefineForClassFields` they would reset declared fields.
    const Defined = class extends (target as unknown as new (payload: object) => DomainEvent) {
      constructor(payload: object) {
        super(payload);
        if (payload !== undefined) Object.assign(this, payload);
      }
    };
    Object.defineProperty(Defined, 'name', { value: target.name });
    attachDefinition(Defined as unknown as EventClass, {
      type: checkedTypeName(type, `@Event on ${className}`),
      version: checkedVersion(options.version, `@Event('${type}') on ${className}`),
      eventClass: Defined as unknown as EventClass,
      schema: Defined as unknown as new () => object,
      sensitive: checkedSensitive(options.sensitive, `@Event('${type}') on ${className}`),
    });
    return Defined as unknown as C;
  };
}

/** Records an event definition as its class's metadata and exposes the type name as `eventType`. */
export function attachDefinition(eventClass: EventClass, definition: EventDefinition): void {
  defineClassMetadata(eventClass, MetadataKey.Event, Object.freeze(definition));
  Object.defineProperty(eventClass, 'eventType', { value: definition.type, enumerable: true });
  Object.defineProperty(eventClass, 'eventVersion', { value: definition.version, enumerable: true });
}

/** The definition of an event class, or undefined when it was never declared. */
export function eventDefinitionOf(eventClass: unknown): EventDefinition | undefined {
  if (typeof eventClass !== 'function') return undefined;
  return getClassMetadata<EventDefinition>(eventClass, MetadataKey.Event);
}

/** The definition of an event instance's class, or undefined for anything that is not an event. */
export function eventDefinitionOfInstance(event: unknown): EventDefinition | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  return eventDefinitionOf((event as object).constructor);
}

export function checkedTypeName(type: unknown, where: string): string {
  if (typeof type !== 'string' || !/^[A-Za-z][A-Za-z0-9_.:-]*$/.test(type)) {
    throw new DefinitionError(
      `${where}: the type name must be a non-empty string of letters, digits, '_', '.', ':' or '-' starting with a letter (got ${JSON.stringify(type)}).`,
    );
  }
  return type;
}

export function checkedVersion(version: unknown, where: string): number {
  if (version === undefined) return 1;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new DefinitionError(`${where}: version must be a whole number ≥ 1 (got ${JSON.stringify(version)}).`);
  }
  return version;
}

export function checkedSensitive(fields: unknown, where: string): readonly string[] {
  if (fields === undefined) return Object.freeze([]);
  if (!Array.isArray(fields) || fields.some((field) => typeof field !== 'string' || field === '')) {
    throw new DefinitionError(
      `${where}: sensitive must be a list of payload field names (got ${JSON.stringify(fields)}).`,
    );
  }
  return Object.freeze([...new Set(fields as string[])]);
}
