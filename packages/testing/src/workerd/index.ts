/**
 * `@escf/testing/workerd`: helpers for tests that run inside workerd with
 * `@cloudflare/vitest-plugin` (they import `cloudflare:test`).
 *
 * @packageDocumentation
 */
export { seedStoredEvents, type SeedStoredEventsOptions } from './seed-stored-events.js';
