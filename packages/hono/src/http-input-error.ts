import { EscfError, type EscfErrorOptions } from '@escf/core';

/** Codes for requests rejected before any command runs. */
export type HttpInputErrorCode =
  | 'MALFORMED_JSON'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'FORBIDDEN_KEY'
  | 'INVALID_HEADER'
  | 'JSON_TOO_DEEP'
  | 'METHOD_NOT_ALLOWED';

/**
 * The request itself is unusable: not JSON, too large, the wrong content
 * type, a key that could pollute prototypes, nesting deeper than allowed,
 * an HTTP method the API does not serve, or a malformed header. Nothing
 * was run or stored.
 */
export class HttpInputError extends EscfError {
  override readonly name = 'HttpInputError';
  readonly code: HttpInputErrorCode;

  constructor(message: string, options: EscfErrorOptions & { readonly code: HttpInputErrorCode }) {
    super(message, options);
    this.code = options.code;
  }
}
