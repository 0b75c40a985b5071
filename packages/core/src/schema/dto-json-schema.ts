import { dtoSupportFor } from './dto-support.js';
import type { DtoClass } from './input-definition.js';

/**
 * A JSON Schema for a DTO class, from the installed DTO support
 * (`@escf/core/class-validator` reads class-validator's own metadata).
 * Without it: `DtoSupportMissingError` (`DTO_SUPPORT_MISSING`).
 */
export function dtoJsonSchema(dtoClass: DtoClass): Record<string, unknown> {
  return dtoSupportFor(dtoClass).jsonSchema(dtoClass);
}
