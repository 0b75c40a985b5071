/**
 * @escf/cli — `escf generate` and `escf check` as functions, for scripts:
 * turn the classes named in `escf.config.ts` into Durable Object exports,
 * projection and process entrypoints, wrangler bindings, D1 migrations and
 * Env types. Most projects only run the `escf` command.
 *
 * `escf.config.ts` imports `defineSystem` from the small subpath `@escf/cli/config`.
 *
 * @packageDocumentation
 */

export { type CheckResult, check, type StaleFile } from './commands/check.js';
export { type GenerateResult, generate } from './commands/generate.js';
export type { CommandOptions } from './commands/load-system.js';
export { ConfigError } from './config/config-error.js';
