/**
 * The naming conventions of generated code and bindings. Those the runtime
 * also looks bindings up by live in `@escf/core/internal` (one module both
 * share); the generator's own (resource names, file paths) are added here.
 * They are part of ESCF's contract with user code (`env.USER_AGGREGATE`).
 */
import { deadLetterQueueName, reactorBindings } from '@escf/core/internal';

export {
  constantCase,
  durableObjectBinding,
  durableObjectClassName,
  EVENT_STORE_BINDING,
  eventStoreShardBinding,
  kebabCase,
} from '@escf/core/internal';

/** Tags of Durable Object migrations written by ESCF start with this; the user's own tags are left alone. */
export const MIGRATION_TAG_PREFIX = 'escf-v';

/**
 * Bindings and resources of projection or process `sessions`; `prefix` is
 * the descriptor's `bindingPrefix` (`SESSIONS`), so the runtime and the
 * generator always agree.
 */
export function reactorResources(name: string, prefix: string, systemName: string) {
  const bindings = reactorBindings(prefix);
  return {
    /** The queue events are published to. */
    queueBinding: bindings.queue,
    queueName: name,
    deadLetterQueue: deadLetterQueueName(name),
    /** Its own D1 database: read model tables and checkpoints. */
    databaseBinding: bindings.database,
    databaseName: `${systemName}-${name}`,
    /** The service binding in workers that call it. */
    serviceBinding: bindings.service,
  };
}

/** The D1 database name of a system's event store. */
export function eventStoreDatabaseName(systemName: string, shard = 0): string {
  return shard === 0 ? `${systemName}-events` : `${systemName}-events-${shard}`;
}

/** The R2 binding of the event archive (escf.config.ts `archive`). */
export const ARCHIVE_BUCKET_BINDING = 'ESCF_ARCHIVE';

/** The default R2 bucket name of a system's event archive. */
export function archiveBucketName(systemName: string): string {
  return `${systemName}-event-archive`;
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
