import { EscfError, type EscfErrorOptions } from './escf-error.js';

/** One problem with one field of the input. `path` is dot-separated; `''` is the input itself. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Input did not match the command's (or an event's) definition. Code
 * `VALIDATION_FAILED`; `details.issues` (also `issues`) lists every problem
 * per field. Nothing was applied or stored.
 *
 * @example
 * ```ts
 * throw new ValidationError('Invalid input', { details: { issues: [{ path: 'email', message: 'must be an email' }] } });
 * ```
 */
export class ValidationError extends EscfError {
  override readonly name = 'ValidationError';
  readonly code = 'VALIDATION_FAILED';
  declare readonly details: { readonly issues: readonly ValidationIssue[] };

  constructor(message: string, options: EscfErrorOptions<{ issues: readonly ValidationIssue[] }>) {
    super(message, { ...options, details: { ...options.details, issues: options.details?.issues ?? [] } });
  }

  /** Every problem, per field. */
  get issues(): readonly ValidationIssue[] {
    return this.details.issues;
  }
}
