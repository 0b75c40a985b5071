/**
 * Freezes a value and everything reachable from it, skipping subtrees that
 * are already frozen (so structurally shared state costs nothing twice).
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}

/** V8's messages for writes to frozen objects and to getter-only properties. */
const MUTATION_MESSAGES = [
  'Cannot assign to read only property',
  'Cannot add property',
  'object is not extensible',
  'Cannot delete property',
  'which has only a getter',
  'Cannot redefine property',
  'Cannot define property',
];

/** True when `error` is the TypeError V8 throws for a write to frozen state. */
export function isFrozenWriteError(error: unknown): error is TypeError {
  return error instanceof TypeError && MUTATION_MESSAGES.some((m) => error.message.includes(m));
}
