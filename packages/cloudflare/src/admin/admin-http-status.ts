/** The HTTP status of an admin error code: client mistakes are 4xx, never a 500. */
export function errorStatusOf(code: string): number {
  switch (code) {
    case 'UNAUTHORIZED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'VALIDATION_FAILED':
      return 400;
    case 'CONFLICT':
    case 'CONCURRENCY_CONFLICT':
      return 409;
    default:
      return 500;
  }
}
