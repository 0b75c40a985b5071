/**
 * Where ESCF reads the time: event timestamps, the time an aggregate sees
 * (`this.now()`), idempotency-key expiry, process claims and failure
 * records. Production uses {@link systemClock}; tests pass a controllable
 * one (`TestClock` from `@escf/testing`) to test token expiry, retention or
 * retries without waiting.
 */
export interface Clock {
  /** Milliseconds since the epoch, like `Date.now()`. */
  now(): number;
}

/** The real time. */
export const systemClock: Clock = { now: () => Date.now() };
