/**
 * A mistake in how classes are declared (a missing type name, a duplicate
 * event, a handler for an unknown event…). Raised when the class is defined
 * or when the registry is built — never while serving requests. The message
 * names the class and member and says how to fix it.
 */
export class DefinitionError extends Error {
  override readonly name = 'DefinitionError';
  readonly code = 'DEFINITION_ERROR';
  constructor(message: string, options: { readonly cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}
