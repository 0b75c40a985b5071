/**
 * Who issued a command: the authenticated caller, as the edge (an HTTP
 * route, a process, a scheduled job) established it. It travels with the
 * command through the typed client into the command context, guards check
 * it (`@Command(Input, { authorize })`) and every event records it in
 * `metadata.principal` — the audit trail of who did what.
 *
 * Aggregate hosts trust the principal their callers pass: authenticate at
 * the edge (session, token, mTLS) and never take a principal from a request
 * body.
 */
export interface Principal {
  /** A stable id of the caller (a user id, a service name…). */
  readonly id: string;
  /** Roles, checked by `authorize.roles` (any of them grants). */
  readonly roles?: readonly string[];
  /** Scopes, checked by `authorize.scopes` (all of them are needed). */
  readonly scopes?: readonly string[];
  /** The tenant the caller belongs to; a guarded command refuses other tenants' aggregates. */
  readonly tenantId?: string;
}

/** A principal as stored in event metadata: plain JSON, only the known fields. */
export function principalRecord(principal: Principal): Principal {
  return {
    id: principal.id,
    ...(principal.roles === undefined ? {} : { roles: [...principal.roles] }),
    ...(principal.scopes === undefined ? {} : { scopes: [...principal.scopes] }),
    ...(principal.tenantId === undefined ? {} : { tenantId: principal.tenantId }),
  };
}

/** Whether a value has a principal's shape (a non-empty string id, string arrays). */
export function isPrincipal(value: unknown): value is Principal {
  if (typeof value !== 'object' || value === null) return false;
  const { id, roles, scopes, tenantId } = value as Record<string, unknown>;
  const strings = (v: unknown) => v === undefined || (Array.isArray(v) && v.every((s) => typeof s === 'string'));
  return (
    typeof id === 'string' &&
    id.length > 0 &&
    strings(roles) &&
    strings(scopes) &&
    (tenantId === undefined || typeof tenantId === 'string')
  );
}
