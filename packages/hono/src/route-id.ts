import { ValidationError } from '@escf/core';

/** C0 controls and DEL: never valid in an id that ends up in a URL or header. */
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Checks an aggregate id taken from a request before anything runs: ids
 * with control characters (CR, LF, NUL…) cannot be echoed in a `Location`
 * header or a log line safely, so they are refused up front (400
 * `VALIDATION_FAILED` on `id`) rather than failing after the write.
 */
export function checkRouteId(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0) throw invalidId('must be a non-empty string');
  if (id.length > 512) throw invalidId('must be at most 512 characters');
  if (CONTROL.test(id)) throw invalidId('must not contain control characters (CR, LF, NUL…)');
  return id;
}

/**
 * A header value the runtime will accept, or a 400 before the command runs:
 * an id that cannot be written into `Location` must not be acknowledged as
 * a 500 after its events were stored.
 */
export function checkHeaderValue(name: string, value: string): string {
  try {
    new Headers().set(name, value);
  } catch {
    throw new ValidationError(`The ${name} header cannot be built for this id`, {
      details: { issues: [{ path: 'id', message: `cannot appear in the ${name} header; encode it` }] },
    });
  }
  return value;
}

function invalidId(message: string): ValidationError {
  return new ValidationError(`Invalid id: it ${message}`, { details: { issues: [{ path: 'id', message }] } });
}
