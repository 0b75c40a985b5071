import { DomainError, type EscfErrorOptions } from '@escf/core';

/** The Workers Rate Limiting binding's interface (`ratelimits` in wrangler.jsonc), and ESCF's local stand-in. */
export interface RateLimiter {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/** A simple rate limit: `limit` calls per key per `period` seconds (the binding accepts 10 or 60). */
export interface RateLimitRule {
  readonly limit: number;
  readonly period: 10 | 60;
}

/** Too many attempts for one key (HTTP 429). Code `RATE_LIMITED`. */
export class RateLimited extends DomainError {
  override readonly name: string = 'RateLimited';
  constructor(message = 'Too many attempts; try again later', options: EscfErrorOptions = {}) {
    super(message, { ...options, code: options.code ?? 'RATE_LIMITED' });
  }
}

/**
 * An in-memory fixed-window limiter with the binding's interface, for
 * Node tests and environments without the binding. It counts per isolate,
 * as the binding counts per Cloudflare location: a brake on abuse, not an
 * exact quota.
 */
export function localRateLimiter(rule: RateLimitRule, now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    async limit({ key }) {
      const at = now();
      const periodMs = rule.period * 1000;
      let window = windows.get(key);
      if (!window || at - window.start >= periodMs) {
        if (windows.size > 10_000) windows.clear(); // bounded memory under a key flood
        window = { start: at, count: 0 };
        windows.set(key, window);
      }
      window.count++;
      return { success: window.count <= rule.limit };
    },
  };
}

const locals = new Map<string, RateLimiter>();

/**
 * The rate limiter bound as `binding` in `env` (the Workers Rate Limiting
 * binding, which `wrangler dev` also runs locally), or a local in-memory
 * one with `fallback`'s rule when the binding is absent.
 */
export function rateLimiter(env: object, binding: string, fallback: RateLimitRule): RateLimiter {
  const bound = (env as Record<string, unknown>)[binding] as RateLimiter | undefined;
  if (bound && typeof bound.limit === 'function') return bound;
  let local = locals.get(binding);
  if (!local) locals.set(binding, (local = localRateLimiter(fallback)));
  return local;
}

/** Counts one attempt for `key`; throws {@link RateLimited} once the key is over its limit. */
export async function enforceRateLimit(limiter: RateLimiter, key: string, what: string): Promise<void> {
  const { success } = await limiter.limit({ key });
  if (!success) throw new RateLimited(`Too many ${what}; try again later`);
}
