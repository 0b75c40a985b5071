import type { StandardSchemaV1 } from '@standard-schema/spec';

/** A class used as a data transfer object, validated with class-validator decorators. */
export type DtoClass<T extends object = object> = new (...args: never[]) => T;

/**
 * What a command input (or a schema-based event payload) may be defined
 * with: any Standard Schema (zod 4, valibot, arktype…) or a class decorated
 * with class-validator (transformed with class-transformer).
 */
export type InputDefinition = StandardSchemaV1 | DtoClass;

/** The validated value a definition produces (what the command method receives). */
export type InferOutput<D> = D extends StandardSchemaV1
  ? StandardSchemaV1.InferOutput<D>
  : D extends DtoClass<infer T>
    ? T
    : never;

/** The value a caller passes in (before transforms and defaults). */
export type InferInputOf<D> = D extends StandardSchemaV1
  ? StandardSchemaV1.InferInput<D>
  : D extends DtoClass<infer T>
    ? T
    : never;

/** True for any Standard Schema object. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    '~standard' in value &&
    typeof (value as StandardSchemaV1)['~standard']?.validate === 'function'
  );
}

/** True for a class constructor usable as a DTO. */
export function isDtoClass(value: unknown): value is DtoClass {
  return typeof value === 'function' && !isStandardSchema(value) && value.prototype !== undefined;
}

/** A human name for a definition, used in error messages. */
export function describeDefinition(definition: unknown): string {
  if (isStandardSchema(definition)) return `a ${definition['~standard'].vendor} schema`;
  if (typeof definition === 'function') return `class ${definition.name || '(anonymous)'}`;
  return String(definition);
}
