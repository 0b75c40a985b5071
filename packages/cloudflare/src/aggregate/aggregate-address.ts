import { ValidationError } from '@escf/core';

/** Which aggregate instance a request is for. */
export interface AggregateAddress {
  readonly aggregateId: string;
  /** Set in multi-tenant systems: part of the Durable Object's name and of every event's metadata. */
  readonly tenantId?: string;
}

const MAX_PART_LENGTH = 512;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The Durable Object name of an aggregate instance, for `idFromName`. The
 * tenant is part of the name, so each tenant's instance is a different
 * object: a client scoped to one tenant cannot address another's. The host
 * also checks the address it is called with against its own name.
 *
 * Names are unambiguous: `<encoded tenant>/<id>` with a tenant (the encoded
 * tenant never contains or starts with `/`), the bare id without one, or
 * `/<id>` if that id itself contains a `/`.
 */
export function durableObjectName(address: AggregateAddress): string {
  if (address.tenantId !== undefined) return `${encodeURIComponent(address.tenantId)}/${address.aggregateId}`;
  return address.aggregateId.includes('/') ? `/${address.aggregateId}` : address.aggregateId;
}

/** Checks an address that arrived over RPC; throws `VALIDATION_FAILED` if it is unusable. */
export function checkAddress(address: unknown): AggregateAddress {
  const candidate = (address ?? {}) as Partial<AggregateAddress>;
  const issues: Array<{ path: string; message: string }> = [];
  if (!isUsablePart(candidate.aggregateId)) {
    issues.push({
      path: 'aggregateId',
      message: `must be a non-empty, well-formed Unicode string of at most ${MAX_PART_LENGTH} characters`,
    });
  }
  if (candidate.tenantId !== undefined && !isUsablePart(candidate.tenantId)) {
    issues.push({
      path: 'tenantId',
      message: `must be a non-empty, well-formed Unicode string of at most ${MAX_PART_LENGTH} characters when set`,
    });
  }
  if (issues.length > 0) throw new ValidationError('Invalid aggregate address', { details: { issues } });
  return candidate.tenantId === undefined
    ? { aggregateId: candidate.aggregateId! }
    : { aggregateId: candidate.aggregateId!, tenantId: candidate.tenantId };
}

/**
 * Lone surrogates are refused: workerd turns an object name into UTF-8, so
 * such an id would not match its own object's name (and could not be told
 * apart from the same id with U+FFFD).
 */
function isUsablePart(part: unknown): part is string {
  return typeof part === 'string' && part.length > 0 && part.length <= MAX_PART_LENGTH && !LONE_SURROGATE.test(part);
}
