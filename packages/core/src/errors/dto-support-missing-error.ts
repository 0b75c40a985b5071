import { EscfError, type EscfErrorOptions } from './escf-error.js';

/**
 * A class-validator DTO class (a command input or a class-based event) was
 * validated or described, but DTO support is not loaded: class-validator,
 * class-transformer and reflect-metadata are optional peer dependencies of
 * `@escf/core`, loaded by `import '@escf/core/class-validator'`. Code
 * `DTO_SUPPORT_MISSING`. Raised before anything is stored. Fix the
 * application, not the request: install the three packages and add that
 * import to the module that declares your DTOs.
 */
export class DtoSupportMissingError extends EscfError {
  override readonly name = 'DtoSupportMissingError';
  readonly code = 'DTO_SUPPORT_MISSING';
  declare readonly details: { readonly dtoClass: string };

  constructor(message: string, options: EscfErrorOptions<{ dtoClass: string }>) {
    super(message, options);
  }
}
