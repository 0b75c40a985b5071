import type { Clock } from '@escf/core';

/**
 * A clock that moves only when the test says so: pass it wherever ESCF
 * takes a `Clock` (`InMemoryAggregates`, `scenario(A).withClock(…)`,
 * `processScenario`, `durableObjectFor(…, { clock })`,
 * `processEntrypoint(…, { clock })`) to test expiry, retention and retries
 * without waiting.
 *
 * @example
 * ```ts
 * const clock = new TestClock(Date.UTC(2026, 0, 1));
 * clock.advance({ hours: 25 }); // the token issued "yesterday" has expired
 * ```
 */
export class TestClock implements Clock {
  private current: number;

  constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  /** Moves the clock forward by milliseconds, or by `{ days, hours, minutes, seconds, ms }`. */
  advance(by: number | { days?: number; hours?: number; minutes?: number; seconds?: number; ms?: number }): number {
    const ms =
      typeof by === 'number'
        ? by
        : (by.days ?? 0) * 86_400_000 +
          (by.hours ?? 0) * 3_600_000 +
          (by.minutes ?? 0) * 60_000 +
          (by.seconds ?? 0) * 1_000 +
          (by.ms ?? 0);
    if (!(ms >= 0)) throw new RangeError('TestClock.advance: time only moves forward');
    this.current += ms;
    return this.current;
  }

  /** Sets the time (forward only). */
  set(to: number | Date): void {
    const ms = typeof to === 'number' ? to : to.getTime();
    if (ms < this.current) throw new RangeError('TestClock.set: time only moves forward');
    this.current = ms;
  }
}
