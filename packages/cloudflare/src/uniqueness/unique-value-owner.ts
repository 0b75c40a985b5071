import { normalizeUniqueValue } from '@escf/core';

/** Where to look a unique value up. */
export interface UniqueValueLookup {
  /** The {@link UniqueValueClaims} binding. */
  readonly claims: string;
  readonly aggregateType: string;
  readonly namespace: string;
  readonly value: string;
  readonly tenantId?: string;
}

/**
 * The id of the aggregate instance that claims a unique value (say, the
 * user whose email is `ada@example.com`), or null. A pending claim counts:
 * confirm against the aggregate's own state before trusting the answer
 * (e.g. sign-in checks the password and the address at the user itself).
 */
export async function uniqueValueOwner(env: object, lookup: UniqueValueLookup): Promise<string | null> {
  const namespace = (env as Record<string, unknown>)[lookup.claims] as DurableObjectNamespace | undefined;
  if (!namespace)
    throw new TypeError(`uniqueValueOwner: Durable Object binding '${lookup.claims}' is missing from env`);
  const key = JSON.stringify([
    lookup.tenantId ?? null,
    lookup.aggregateType,
    lookup.namespace,
    normalizeUniqueValue(lookup.value),
  ]);
  const stub = namespace.get(namespace.idFromName(key)) as unknown as {
    holder(): Promise<{ owner: { address: { aggregateId: string } } } | null>;
  };
  return (await stub.holder())?.owner.address.aggregateId ?? null;
}
