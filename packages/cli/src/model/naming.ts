/**
 * The naming conventions of generated code and bindings, in one place. They
 * are part of ESCF's contract with the runtime and with user code (`env.USER_AGGREGATE`).
 */

/** The D1 event store binding every API and projection worker gets. */
export const EVENT_STORE_BINDING = 'ESCF_EVENTS';

/** The D1 binding of event-store shard `shard`: `ESCF_EVENTS`, then `ESCF_EVENTS_1`, `ESCF_EVENTS_2`, … */
export function eventStoreShardBinding(shard: number): string {
  return shard === 0 ? EVENT_STORE_BINDING : `${EVENT_STORE_BINDING}_${shard}`;
}

/** Tags of Durable Object migrations written by ESCF start with this; the user's own tags are left alone. */
export const MIGRATION_TAG_PREFIX = 'escf-v';

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
 * Bindings and resources of projection or process `sessions`; `prefix` is
 * the descriptor's `bindingPrefix` (`SESSIONS`), so the runtime and the
 * generator always agree.
 */
export function reactorResources(name: string, prefix: string, systemName: string) {
  return {
    /** The queue events are published to. */
    queueBinding: `${prefix}_QUEUE`,
    queueName: name,
    deadLetterQueue: `${name}-dlq`,
    /** Its own D1 database: read model tables and checkpoints. */
    databaseBinding: `${prefix}_DB`,
    databaseName: `${systemName}-${name}`,
    /** The service binding in workers that call it. */
    serviceBinding: prefix,
  };
}

/** The D1 database name of a system's event store. */
export function eventStoreDatabaseName(systemName: string, shard = 0): string {
  return shard === 0 ? `${systemName}-events` : `${systemName}-events-${shard}`;
}

/** Files `escf generate` owns in each worker directory (relative to it). */
export const GeneratedPaths = {
  entry: 'src/escf.generated.ts',
  env: 'src/escf-env.generated.ts',
  manifest: 'escf.managed.json',
  wrangler: 'wrangler.jsonc',
  /** The event store's own migrations directory: ESCF owns every file in it. */
  eventStoreMigrations: 'migrations/escf-events',
  /** The projection's or process's database migrations; ESCF writes `*_escf_*.sql` files next to the user's. */
  databaseMigrations: 'migrations',
} as const;
