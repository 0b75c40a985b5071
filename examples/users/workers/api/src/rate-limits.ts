import { enforceRateLimit, rateLimiter } from '@escf/cloudflare';
import { normalizeUniqueValue } from '@escf/core';
import type { Context } from 'hono';
import type { ApiEnv } from './api-env.js';

/**
 * The API's abuse limits, on the Workers Rate Limiting bindings declared in
 * escf.config.ts (`wrangler dev` runs them locally too); without a binding,
 * a local in-memory limiter with the same rule stands in.
 *
 * - sign-in attempts: per email address, and (looser) per client IP (password guessing);
 * - emails sent: per recipient address (sign-up, email change, resend).
 */
export const AUTH_LIMIT = { limit: 5, period: 60 } as const;
/** Per client IP: looser, as many people may share one address (NAT, offices). */
export const AUTH_IP_LIMIT = { limit: 60, period: 60 } as const;
export const EMAIL_LIMIT = { limit: 3, period: 60 } as const;

export async function limitSignIn(c: Context<ApiEnv>, email: string): Promise<void> {
  const limiter = rateLimiter(c.env, 'AUTH_RATE_LIMITER', AUTH_LIMIT);
  await enforceRateLimit(limiter, `email:${normalizeUniqueValue(email)}`, 'sign-in attempts for this address');
  // Cloudflare sets CF-Connecting-IP; locally there is none, and only the per-address limit applies.
  const ip = c.req.header('cf-connecting-ip');
  if (ip !== undefined)
    await enforceRateLimit(
      rateLimiter(c.env, 'AUTH_IP_RATE_LIMITER', AUTH_IP_LIMIT),
      `ip:${ip}`,
      'sign-in attempts from this network address',
    );
}

export async function limitEmailTo(c: Context<ApiEnv>, email: string): Promise<void> {
  await enforceRateLimit(
    rateLimiter(c.env, 'EMAIL_RATE_LIMITER', EMAIL_LIMIT),
    `to:${normalizeUniqueValue(email)}`,
    'emails to this address',
  );
}
