const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The path of the first string (value or key) in `value` that holds a lone
 * UTF-16 surrogate, or undefined. Such strings cannot be encoded as UTF-8:
 * D1, logs and HTTP would each store them differently (U+FFFD or an error),
 * so ESCF refuses them at the door instead. Iterative, so a deeply nested
 * value cannot overflow the stack.
 */
export function findIllFormedString(value: unknown): string | undefined {
  const stack: Array<{ value: unknown; path: string }> = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (LONE_SURROGATE.test(current)) return path;
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, child] of Object.entries(current)) {
        const childPath = path === '' ? key : `${path}.${key}`;
        if (LONE_SURROGATE.test(key)) return childPath;
        stack.push({ value: child, path: childPath });
      }
    }
  }
  return undefined;
}
