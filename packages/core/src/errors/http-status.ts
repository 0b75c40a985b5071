import { Conflict, Forbidden, NotFound, Unauthorized } from './domain-error.js';
import { EscfError } from './escf-error.js';

/** HTTP status for each well-known ESCF error code. */
const statusByCode: Readonly<Record<string, number>> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  FORBIDDEN_KEY: 400,
  INVALID_HEADER: 400,
  JSON_TOO_DEEP: 400,
  METHOD_NOT_ALLOWED: 405,
  UNKNOWN_COMMAND: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  CONFLICT: 409,
  CONCURRENCY_CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  EVENT_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  // Committed, not yet visible everywhere: accepted, never a refusal a client would retry.
  DELIVERY_PENDING: 202,
  RATE_LIMITED: 429,
};

/** Codes that mean a bug or an outage: answered as 500 without details. */
const serverSide = new Set([
  'INTERNAL',
  'STATE_MUTATION',
  'INVALID_EVENT',
  'UPCAST_FAILED',
  'SYNC_NOT_DECLARED',
  'DTO_SUPPORT_MISSING',
]);

/** The HTTP status an error code is answered with (a code this table does not know is a business rule: 422). */
export function httpStatusOfCode(code: string): number {
  if (serverSide.has(code)) return 500;
  return statusByCode[code] ?? 422;
}

/**
 * The HTTP status of an error. Known codes map directly; otherwise the class
 * decides (any `Conflict` is 409, `NotFound` 404…); any other `DomainError`
 * — a business rule said no — is 422; anything else is 500.
 */
export function httpStatusOf(error: unknown): number {
  if (!(error instanceof EscfError)) return 500;
  if (serverSide.has(error.code)) return 500;
  const byCode = statusByCode[error.code];
  if (byCode !== undefined) return byCode;
  if (error instanceof Conflict) return 409;
  if (error instanceof NotFound) return 404;
  if (error instanceof Unauthorized) return 401;
  if (error instanceof Forbidden) return 403;
  return 422;
}
