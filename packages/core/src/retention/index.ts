/**
 * @escf/core/retention — how long events stay hot in D1 before the archiver
 * moves them to R2 (`@escf/cloudflare/archive`), per aggregate type.
 *
 * @packageDocumentation
 */
export { defineRetention, retention, type ResolvedRetention, type RetentionConfig, type RetentionPolicy } from './retention-policy.js';
