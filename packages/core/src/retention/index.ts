/**
 * @escf/core/retention — how long events stay hot in D1 before the archiver
 * moves them to R2 (`@escf/cloudflare/archive`), per aggregate type.
 *
 * @packageDocumentation
 */
export {
  defineRetention,
  type ResolvedRetention,
  type RetentionConfig,
  type RetentionPolicy,
  retention,
} from './retention-policy.js';
