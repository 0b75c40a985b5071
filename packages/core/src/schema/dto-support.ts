import { DtoSupportMissingError } from '../errors/dto-support-missing-error.js';
import type { DtoClass } from './input-definition.js';
import type { ValidationOutcome } from './validate.js';

/**
 * What core needs from a DTO library: validate a plain object against a DTO
 * class, and describe the class as JSON Schema. `@escf/core/class-validator`
 * installs the class-validator implementation; without it core never loads
 * class-validator, class-transformer or reflect-metadata.
 */
export interface DtoSupport {
  /** Validates `value` (a plain object without forbidden keys) against `dtoClass`. */
  validate(dtoClass: DtoClass, value: object): ValidationOutcome;
  /** The JSON Schema of `dtoClass`, for OpenAPI documents. */
  jsonSchema(dtoClass: DtoClass): Record<string, unknown>;
}

let installed: DtoSupport | undefined;

/** Installs the DTO implementation (called by `@escf/core/class-validator` when it is imported). */
export function installDtoSupport(support: DtoSupport): void {
  installed = support;
}

/** The installed DTO implementation, or a {@link DtoSupportMissingError} that says how to load it. */
export function dtoSupportFor(dtoClass: DtoClass): DtoSupport {
  if (installed) return installed;
  const name = (dtoClass as { name?: string }).name || 'A DTO class';
  throw new DtoSupportMissingError(
    `${name} is a class-validator DTO class, and DTO support is not loaded: install class-validator, class-transformer and reflect-metadata (npm i class-validator class-transformer reflect-metadata), then add import '@escf/core/class-validator'; to the module that declares your DTO classes and class-based events.`,
    { details: { dtoClass: name } },
  );
}
