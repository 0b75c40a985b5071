import { ValidationError } from '@escf/core';
import type { RedriveRange } from '../process/process-entrypoint.js';

/** Parameters of the admin action `redriveProcess`: hand a range of the D1 log to one process again. */
export interface ProcessRedriveRequest {
  /** The process name (`@Process(name)`). */
  readonly process: string;
  /** First global position (inclusive). */
  readonly fromPosition: number;
  /** Last global position (inclusive); default the head of the log. */
  readonly toPosition?: number;
  /** Events read per call (default 500, at most 1,000); page with `lastPosition + 1` while `more`. */
  readonly limit?: number;
}

/** The most events one `redriveProcess` call reads. */
const MAX_REDRIVE_PAGE = 1_000;

/**
 * Checks the parameters of `redriveProcess`: positions are integers ≥ 1
 * (`toPosition` ≥ `fromPosition`), the limit 1 … 1,000. Anything else is a
 * `ValidationError` naming the field.
 */
export function processRedriveRequest(params: unknown): {
  readonly process: unknown;
  readonly range: RedriveRange;
  readonly limit: number;
} {
  const p = (params ?? {}) as Partial<Record<keyof ProcessRedriveRequest, unknown>>;
  const fromPosition = position(p.fromPosition, 'fromPosition');
  const toPosition =
    p.toPosition === undefined || p.toPosition === null ? undefined : position(p.toPosition, 'toPosition');
  if (toPosition !== undefined && toPosition < fromPosition)
    throw new ValidationError("'toPosition' must not be before 'fromPosition'", {
      details: { issues: [{ path: 'toPosition', message: 'must be ≥ fromPosition' }] },
    });
  const limit = p.limit === undefined || p.limit === null ? 500 : Number(p.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_REDRIVE_PAGE)
    throw new ValidationError(`'limit' must be an integer from 1 to ${MAX_REDRIVE_PAGE}`, {
      details: { issues: [{ path: 'limit', message: `must be an integer from 1 to ${MAX_REDRIVE_PAGE}` }] },
    });
  return {
    process: p.process,
    range: { fromPosition, ...(toPosition === undefined ? {} : { toPosition }) },
    limit,
  };
}

function position(value: unknown, path: string): number {
  const n = Number(value);
  if (typeof value !== 'number' || !Number.isSafeInteger(n) || n < 1)
    throw new ValidationError(`'${path}' must be a global position (an integer ≥ 1)`, {
      details: { issues: [{ path, message: 'must be an integer ≥ 1' }] },
    });
  return n;
}
