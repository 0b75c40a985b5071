import { describe, expect, it } from 'vitest';
import { backoffSeconds } from '../../src/delivery/retry-backoff.js';

describe('backoffSeconds (projections and processes)', () => {
  it('doubles per attempt from the base, up to 5 minutes', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffSeconds(attempt))).toEqual([2, 4, 8, 16]);
    expect(backoffSeconds(3, 5)).toBe(20);
    expect(backoffSeconds(20)).toBe(300);
    expect(backoffSeconds(3, 0)).toBe(0);
  });
});
