/**
 * The naming conventions that `escf generate` writes into wrangler config and
 * the runtime looks bindings up by — one module, so the two always agree.
 * Plain strings: core knows the names, never the platform behind them.
 */

/** The D1 event store binding every API, projection and process worker gets. */
export const EVENT_STORE_BINDING = 'ESCF_EVENTS';

/** The D1 event store's default table. */
export const EVENT_STORE_TABLE = 'escf_events';

/** `BankAccount` → `BANK_ACCOUNT`, `send-email` → `SEND_EMAIL`. */
export function constantCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/** `VERIFY_EMAIL` → `verify-email`. */
export function kebabCase(name: string): string {
  return constantCase(name).toLowerCase().replace(/_/g, '-');
}

/** The generated Durable Object class of aggregate type `User`: `UserAggregate`. */
export function durableObjectClassName(aggregateType: string): string {
  return `${aggregateType}Aggregate`;
}

/** The Durable Object binding of aggregate type `User`: `USER_AGGREGATE`. */
export function durableObjectBinding(aggregateType: string): string {
  return `${constantCase(aggregateType)}_AGGREGATE`;
}

/**
 * The binding-name prefix of a projection or process name (its descriptor's
 * `bindingPrefix`): `'sessions'` → `SESSIONS`, `'send-email'` → `SEND_EMAIL`.
 */
export function bindingPrefix(name: string): string {
  return name.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
}

/** The bindings of a projection or process with binding prefix `SESSIONS`. */
export function reactorBindings(prefix: string) {
  return {
    /** The queue events are published to (producer and consumer). */
    queue: `${prefix}_QUEUE`,
    /** Its own D1 database: read model tables or bookkeeping, and checkpoints. */
    database: `${prefix}_DB`,
    /** The service binding in workers that call it. */
    service: prefix,
  } as const;
}

/** The dead-letter queue of queue `sessions`: `sessions-dlq`. */
export function deadLetterQueueName(queueName: string): string {
  return `${queueName}-dlq`;
}

/** The D1 binding of event-store shard `shard`: `ESCF_EVENTS`, then `ESCF_EVENTS_1`, `ESCF_EVENTS_2`, … */
export function eventStoreShardBinding(shard: number): string {
  return shard === 0 ? EVENT_STORE_BINDING : `${EVENT_STORE_BINDING}_${shard}`;
}
