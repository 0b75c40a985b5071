/** What a masked value reads as. */
export const MASKED = '••••••';

/**
 * A copy of `value` with every field named in `sensitive` masked, at any
 * depth: an aggregate's state may keep a sensitive event field nested
 * (e.g. a verification token inside `emailVerification`).
 */
export function maskFields(value: unknown, sensitive: ReadonlySet<string> | readonly string[]): unknown {
  const names = sensitive instanceof Set ? sensitive : new Set(sensitive as readonly string[]);
  if (names.size === 0) return value;
  const mask = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(mask);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([key, field]) => [
        key,
        names.has(key) && field !== undefined && field !== null ? MASKED : mask(field),
      ]),
    );
  };
  return mask(value);
}
