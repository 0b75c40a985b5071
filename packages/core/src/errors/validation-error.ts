import { EscfError } from './escf-error.js';

/** One problem with one field of the input. `path` is dot-separated; `''` is the input itself. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Input did not match the command's (or an event's) definition. Code
 * `VALIDATION_FAILED`; `issues` lists every problem per field. Nothing was
 * applied or stored.
 */
export class ValidationError extends EscfError {
  override readonly name = 'ValidationError';
  readonly code = 'VALIDATION_FAILED';
  readonly issues: readonly ValidationIssue[];

  constructor(message: string, issues: readonly ValidationIssue[]) {
    super(message, { issues });
    this.issues = issues;
  }
}
