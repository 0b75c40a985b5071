/**
 * The example's clock: token and session expiry read it, and unit tests
 * move it (`useClock(() => t)`). Production uses `Date.now`.
 */
let current: () => number = Date.now;

/** Milliseconds since the epoch. */
export function now(): number {
  return current();
}

/** Replaces the clock (tests); call `useClock(Date.now)` to restore it. */
export function useClock(clock: () => number): void {
  current = clock;
}
