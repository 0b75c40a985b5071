/**
 * `@escf/testing/workerd`: helpers for tests that run inside workerd with
 * `@cloudflare/vitest-plugin` (they import `cloudflare:test`).
 *
 * @packageDocumentation
 */
export { type SeedStoredEventsOptions, seedStoredEvents } from './seed-stored-events.js';
