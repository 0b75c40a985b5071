import { httpStatusOf as statusOf, httpStatusOfCode as statusOfCode } from '@escf/core/internal';

/**
 * The HTTP status of an error. Known codes map directly; otherwise the class
 * decides (any `Conflict` is 409, `NotFound` 404…); any other `DomainError`
 * — a business rule said no — is 422; anything else is 500. The same mapping
 * answers the admin, process and archive HTTP surfaces.
 */
export function httpStatusOf(error: unknown): number {
  return statusOf(error);
}

/** The HTTP status an error code is answered with (a code this table does not know is a business rule: 422). */
export function httpStatusOfCode(code: string): number {
  return statusOfCode(code);
}
