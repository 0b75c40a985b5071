/** What a masked value reads as. */
export const MASKED = '••••••';

/** A copy of `value` (an object payload or state) with the named top-level fields masked. */
export function maskFields(value: unknown, sensitive: ReadonlySet<string> | readonly string[]): unknown {
  const names = sensitive instanceof Set ? sensitive : new Set(sensitive as readonly string[]);
  if (names.size === 0 || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const masked: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const name of names) if (name in masked && masked[name] !== undefined) masked[name] = MASKED;
  return masked;
}
