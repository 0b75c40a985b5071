/**
 * A mistake in `escf.config.ts`, in a worker's `wrangler.jsonc` or in the
 * classes they reference. `escf` prints only its message — which names the
 * offending worker, class or field and says how to fix it — never a stack.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(message: string) {
    super(message);
  }
}
