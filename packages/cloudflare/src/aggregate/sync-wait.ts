import { SyncNotDeclaredError } from '@escf/core';

/**
 * What a synchronous command waits for, as a client sends it to the host:
 * the named synchronous subscribers (`{ sync: 'balances' }`; `[]` = D1 only),
 * or {@link EVERY_SYNC_SUBSCRIBER} (`{ sync: true }`).
 */
export type SyncWait = readonly string[] | typeof EVERY_SYNC_SUBSCRIBER;

/** `{ sync: true }`: every subscriber the host delivers to synchronously, of which there must be at least one. */
export const EVERY_SYNC_SUBSCRIBER: '*' = '*';

/**
 * Refuses, before anything runs, a wait the host cannot keep: a name it does
 * not deliver to synchronously, or `sync: true` on a host that delivers to
 * nobody synchronously (which would silently guarantee only D1).
 */
export function requireSyncSubscribers(
  aggregateType: string,
  declared: readonly string[],
  waitFor: SyncWait | undefined,
): void {
  if (waitFor === undefined) return;
  const declaredList = declared.length > 0 ? declared.join(', ') : 'none';
  if (waitFor === EVERY_SYNC_SUBSCRIBER) {
    if (declared.length > 0) return;
    throw new SyncNotDeclaredError(
      `sync: true waits for the projections ${aggregateType} delivers to synchronously, and it declares none: declare the projection the caller reads delivery: 'sync' in escf.config.ts and run npx escf generate, or use sync: [] to wait for D1 only.`,
      { details: { aggregateType, requested: [EVERY_SYNC_SUBSCRIBER], declared: [] } },
    );
  }
  const requested = Array.isArray(waitFor) ? waitFor.map(String) : [String(waitFor)];
  const missing = requested.filter((name) => !declared.includes(name));
  if (missing.length === 0) return;
  throw new SyncNotDeclaredError(
    `${aggregateType} does not deliver synchronously to ${missing.map((n) => `'${n}'`).join(', ')} (declared: ${declaredList}): declare the projection delivery: 'sync' in escf.config.ts and run npx escf generate, or drop it from the client's sync option.`,
    { details: { aggregateType, requested, declared: [...declared] } },
  );
}
