/**
 * `@escf/cloudflare/test-support`: storage-level helpers for tests that
 * need history an earlier release would have written. `@escf/testing/workerd`
 * wraps them; application code never needs them.
 *
 * @packageDocumentation
 */
export { seedAggregateStorage } from './seed-aggregate-storage.js';
