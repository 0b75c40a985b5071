import type { StandardSchemaV1 } from '@standard-schema/spec';
import { DefinitionError } from '../errors/definition-error.js';
import { isStandardSchema } from '../schema/input-definition.js';
import type { LensChain } from '../upcast/lens.js';
import { setLensChain } from '../upcast/upcast.decorator.js';
import { DomainEvent } from './domain-event.js';
import { attachDefinition, checkedSensitive, checkedTypeName, checkedVersion } from './event.decorator.js';
import type { EventOptions } from './event-definition.js';

/** An instance of a schema-based event: its payload fields plus the event brand. */
export type SchemaEvent<P> = DomainEvent<P> & Readonly<P>;

/** The class `defineEvent` returns: construct it with the payload, pass it to `@EventHandler`. */
export interface SchemaEventClass<N extends string, S extends StandardSchemaV1> {
  new (payload: StandardSchemaV1.InferInput<S>): SchemaEvent<StandardSchemaV1.InferOutput<S>>;
  /** The stable type name. */
  readonly eventType: N;
  /** The current schema version. */
  readonly eventVersion: number;
  /** The payload schema. */
  readonly schema: S;
}

/**
 * Declares a schema-based event from any Standard Schema whose output is an
 * object (zod 4, valibot, arktype…). Returns a class: emit it with
 * `new UserDeleted({ … })` and handle it with `@EventHandler(UserDeleted)`;
 * the payload type is inferred from the schema.
 *
 * @example
 * ```ts
 * export const UserDeleted = defineEvent('UserDeleted', z.object({ reason: z.string().optional() }));
 * ```
 */
export function defineEvent<const N extends string, S extends StandardSchemaV1<any, object>>(
  type: N,
  schema: S,
  options: EventOptions<StandardSchemaV1.InferOutput<S>> & {
    /** The event's history: lenses from version 1 to `version` (see `upcast()`). */
    readonly upcast?: LensChain<StandardSchemaV1.InferInput<S>, any, boolean, any>;
  } = {},
): SchemaEventClass<N, S> {
  const where = `defineEvent('${String(type)}')`;
  checkedTypeName(type, where);
  if (!isStandardSchema(schema)) {
    throw new DefinitionError(`${where}: the second argument must be a Standard Schema such as a zod object schema.`);
  }
  const SchemaEvent = class extends DomainEvent<object> {
    static readonly schema = schema;
  };
  Object.defineProperty(SchemaEvent, 'name', { value: type });
  attachDefinition(SchemaEvent, {
    type,
    version: checkedVersion(options.version, where),
    eventClass: SchemaEvent,
    schema,
    sensitive: checkedSensitive(options.sensitive, where),
  });
  if (options.upcast) setLensChain(SchemaEvent, options.upcast as unknown as LensChain<unknown, unknown>);
  return SchemaEvent as unknown as SchemaEventClass<N, S>;
}
