/** One difference between two states. */
export interface StateChange {
  /** JSON-pointer-like path, e.g. `/profile/email`; `` for the root. */
  readonly path: string;
  readonly kind: 'added' | 'removed' | 'changed';
  readonly before?: unknown;
  readonly after?: unknown;
}

/** The differences between two JSON values, deepest first by path order. */
export function diffStates(before: unknown, after: unknown, path = ''): StateChange[] {
  if (Object.is(before, after)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => {
      const at = `${path}/${key}`;
      if (!(key in after) || after[key] === undefined)
        return before[key] === undefined ? [] : [{ path: at, kind: 'removed' as const, before: before[key] }];
      if (!(key in before) || before[key] === undefined)
        return [{ path: at, kind: 'added' as const, after: after[key] }];
      return diffStates(before[key], after[key], at);
    });
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path, kind: 'changed', before, after }];
}
