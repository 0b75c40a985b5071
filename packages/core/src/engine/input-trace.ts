import type { ValidationIssue } from '../errors/validation-error.js';

/**
 * Traces an event's invalid fields back to the command input they came
 * from. An input can pass the command's schema and still fail an event's
 * (say, an email the event's validator is stricter about): that is the
 * caller's bad input, answered as `VALIDATION_FAILED` on the input field,
 * not a server error. Returns undefined when some invalid field does not
 * hold a value found in the input — then the aggregate built a bad event
 * itself, which is a bug.
 */
export function inputIssuesBehind(
  eventType: string,
  eventIssues: readonly ValidationIssue[],
  payload: unknown,
  input: unknown,
): ValidationIssue[] | undefined {
  const leaves = leafPaths(input);
  const traced: ValidationIssue[] = [];
  for (const issue of eventIssues) {
    const value = valueAt(payload, issue.path);
    if (value === undefined || (typeof value === 'object' && value !== null)) return undefined;
    const inputPath = leaves.get(value as string | number | boolean | null);
    if (inputPath === undefined) return undefined;
    traced.push({
      path: inputPath,
      message: `${issue.message} (refused by event ${eventType}${issue.path ? `.${issue.path}` : ''})`,
    });
  }
  return traced.length > 0 ? traced : undefined;
}

/** Scalar values of the input, each with the first path holding it. */
function leafPaths(input: unknown): Map<unknown, string> {
  const found = new Map<unknown, string>();
  const stack: Array<{ value: unknown; path: string }> = [{ value: input, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value))
        stack.push({ value: child, path: path === '' ? key : `${path}.${key}` });
    } else if (!found.has(value)) found.set(value, path);
  }
  return found;
}

function valueAt(value: unknown, path: string): unknown {
  if (path === '') return value;
  let current = value;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
