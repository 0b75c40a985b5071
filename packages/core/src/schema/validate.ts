import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { ValidationIssue } from '../errors/validation-error.js';
import { dtoSupportFor } from './dto-support.js';
import { type DtoClass, type InputDefinition, isStandardSchema } from './input-definition.js';

/** The outcome of validating a value: the (possibly transformed) value, or the issues. */
export type ValidationOutcome<T = unknown> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/** Keys that must never reach a class instance: they can rewrite prototypes. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Validates `value` against a Standard Schema or a class-validator DTO class.
 * Synchronous whenever the schema is (zod, class-validator); returns a
 * promise only for schemas that validate asynchronously.
 */
export function validateAgainst(
  definition: InputDefinition,
  value: unknown,
): ValidationOutcome | Promise<ValidationOutcome> {
  if (isStandardSchema(definition)) {
    const result = definition['~standard'].validate(value);
    return result instanceof Promise ? result.then(fromStandardResult) : fromStandardResult(result);
  }
  return validateDto(definition, value);
}

function fromStandardResult(result: StandardSchemaV1.Result<unknown>): ValidationOutcome {
  if (result.issues === undefined) return { ok: true, value: result.value };
  return {
    ok: false,
    issues: result.issues.map((issue) => ({
      path: (issue.path ?? []).map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('.'),
      message: issue.message,
    })),
  };
}

/**
 * DTO path: the input must be a plain object without prototype-rewriting
 * keys; the installed DTO support (`@escf/core/class-validator`) turns it
 * into an instance and validates it, unknown properties rejected.
 */
function validateDto(dtoClass: DtoClass, value: unknown): ValidationOutcome {
  const support = dtoSupportFor(dtoClass);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, issues: [{ path: '', message: `expected an object for ${dtoClass.name}` }] };
  }
  const dangerous = findForbiddenKey(value, '');
  if (dangerous !== undefined) {
    return { ok: false, issues: [{ path: dangerous, message: 'property name is not allowed' }] };
  }
  return support.validate(dtoClass, value);
}

function findForbiddenKey(value: object, path: string): string | undefined {
  for (const key of Object.keys(value)) {
    const here = path ? `${path}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key)) return here;
    const child = (value as Record<string, unknown>)[key];
    if (typeof child === 'object' && child !== null) {
      const found = findForbiddenKey(child, here);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
