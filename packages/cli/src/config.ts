/**
 * `@escf/cli/config`: only what `escf.config.ts` imports — `defineSystem`
 * and its types — so loading a config pulls in nothing else of the CLI.
 *
 * @packageDocumentation
 */
export * from './config/define-system.js';
