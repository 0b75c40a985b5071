import type { ExecuteOptions } from '@escf/core';
import type { Context } from 'hono';
import { HttpInputError } from './http-input-error.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * Command options from standard request headers:
 *
 * - `If-Match: "7"` → `expectedVersion: 7` (optimistic concurrency → 409 on mismatch);
 * - `Idempotency-Key: …` → `idempotencyKey` (a retry returns the first result);
 * - `X-Correlation-Id: …` → `correlationId`.
 *
 * Malformed values are rejected with 400 `INVALID_HEADER` rather than ignored.
 */
export function commandOptions(c: Context): ExecuteOptions {
  const options: { -readonly [K in keyof ExecuteOptions]: ExecuteOptions[K] } = {};
  const ifMatch = c.req.header('if-match');
  if (ifMatch !== undefined) {
    const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(ifMatch);
    if (!match)
      throw new HttpInputError('If-Match must be an ETag this API returned, e.g. "3".', {
        code: 'INVALID_HEADER',
        details: {
          header: 'If-Match',
        },
      });
    options.expectedVersion = Number(match[1]);
  }
  const key = c.req.header('idempotency-key');
  if (key !== undefined) {
    if (!IDEMPOTENCY_KEY.test(key)) {
      throw new HttpInputError('Idempotency-Key must be 1–200 visible ASCII characters.', {
        code: 'INVALID_HEADER',
        details: {
          header: 'Idempotency-Key',
        },
      });
    }
    options.idempotencyKey = key;
  }
  const correlationId = c.req.header('x-correlation-id');
  if (correlationId !== undefined) {
    if (!IDEMPOTENCY_KEY.test(correlationId)) {
      throw new HttpInputError('X-Correlation-Id must be 1–200 visible ASCII characters.', {
        code: 'INVALID_HEADER',
        details: {
          header: 'X-Correlation-Id',
        },
      });
    }
    options.correlationId = correlationId;
  }
  return options;
}

/** The ETag of an aggregate at a version: `"7"`. */
export function etagOf(version: number): string {
  return `"${version}"`;
}
