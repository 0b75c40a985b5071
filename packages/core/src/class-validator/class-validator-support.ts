import { plainToInstance } from 'class-transformer';
import { type ValidationError as ClassValidationError, validateSync } from 'class-validator';
import type { ValidationIssue } from '../errors/validation-error.js';
import type { DtoSupport } from '../schema/dto-support.js';
import { classValidatorJsonSchema } from './class-validator-json-schema.js';

/**
 * DTO support with class-validator: the plain object becomes an instance
 * with class-transformer, then is validated with unknown properties rejected
 * (so an extra field is an error, not silently stored).
 */
export const classValidatorSupport: DtoSupport = {
  validate(dtoClass, value) {
    const instance = plainToInstance(dtoClass as new () => object, value);
    const errors = validateSync(instance, {
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
    });
    if (errors.length === 0) return { ok: true, value: instance };
    return { ok: false, issues: flattenClassValidatorErrors(errors, '') };
  },
  jsonSchema: classValidatorJsonSchema,
};

function flattenClassValidatorErrors(errors: readonly ClassValidationError[], prefix: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) issues.push({ path, message });
    if (error.children?.length) issues.push(...flattenClassValidatorErrors(error.children, path));
  }
  return issues;
}
