import { type InputDefinition, ValidationError, validateAgainst } from '@escf/core';

/**
 * Validates one part of a request (its body or its query string) against a
 * route's schema: the validated value, or 400 `VALIDATION_FAILED` with one
 * issue per field (paths prefixed `query.` for the query string). The one
 * place route helpers build a validation error.
 */
export async function validateRequestPart(
  definition: InputDefinition,
  value: unknown,
  part: 'body' | 'query',
): Promise<unknown> {
  const outcome = await validateAgainst(definition, value);
  if (outcome.ok) return outcome.value;
  const issues =
    part === 'query'
      ? outcome.issues.map((issue) => ({ ...issue, path: issue.path ? `query.${issue.path}` : 'query' }))
      : outcome.issues;
  throw new ValidationError(part === 'query' ? 'Invalid query string' : 'Invalid request body', {
    details: { issues: issues },
  });
}
