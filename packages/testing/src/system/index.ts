/**
 * `@escf/testing/system` (Node only): start a generated multi-worker system
 * in workerd for end-to-end tests, from its `escf.config.ts`.
 *
 * @packageDocumentation
 */

export { type CollectedSpan, type OtlpReceiver, startOtlpReceiver } from './otlp-receiver.js';
export {
  type ConsoleSecrets,
  type D1DatabaseLike,
  type RunningSystem,
  type StartSystemOptions,
  startSystem,
} from './start-system.js';
