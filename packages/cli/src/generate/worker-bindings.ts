import { eventStoreDatabaseName, eventStoreShardBinding, GeneratedPaths } from '../model/naming.js';
import type { ReactorModel, SystemModel, WorkerModel } from '../model/system-model.js';

/** A wrangler array entry ESCF manages: `enforced` fields are always written, `defaults` only when absent. */
export interface ManagedEntry {
  readonly key: string;
  readonly enforced: Readonly<Record<string, unknown>>;
  readonly defaults?: Readonly<Record<string, unknown>>;
}

/** The wrangler arrays ESCF manages, each identified by one field of its entries. */
export const MANAGED_SECTIONS = {
  durable_objects: { path: ['durable_objects', 'bindings'], keyField: 'name' },
  d1_databases: { path: ['d1_databases'], keyField: 'binding' },
  queue_producers: { path: ['queues', 'producers'], keyField: 'binding' },
  queue_consumers: { path: ['queues', 'consumers'], keyField: 'queue' },
  services: { path: ['services'], keyField: 'binding' },
  workflows: { path: ['workflows'], keyField: 'binding' },
  ratelimits: { path: ['ratelimits'], keyField: 'name' },
  r2_buckets: { path: ['r2_buckets'], keyField: 'binding' },
} as const;

export type SectionName = keyof typeof MANAGED_SECTIONS;

/** Everything one worker's wrangler.jsonc must declare, computed from the system model. */
export interface WorkerBindings {
  readonly sections: Readonly<Record<SectionName, readonly ManagedEntry[]>>;
  /** `triggers.crons` entries. */
  readonly crons: readonly string[];
  /** Durable Object options of the API worker's aggregates: who events are published to. */
  readonly publishTo: {
    readonly queues: readonly string[];
    readonly services: readonly string[];
    /** Per queue or service binding, the event types its subscriber handles: the outbox sends it only those. */
    readonly routes: Readonly<Record<string, readonly string[]>>;
    /** Projections and processes delivered synchronously, by name → service binding: what `{ sync: name }` clients may wait for. */
    readonly syncSubscribers: Readonly<Record<string, string>>;
  };
}

/** The runtime's default: the projection entrypoint must know the consumer's `max_retries`. */
export const DEFAULT_MAX_RETRIES = 3;

/**
 * The queue consumer batch settings `escf generate` writes when the config
 * names none (Cloudflare's own defaults are 10 messages and 5 s):
 *
 * - `max_batch_timeout: 0` — deliver as soon as a message is there. The
 *   timeout is the floor of commit → read-model lag (with 1 s, p99 was
 *   1.25 s locally); 0 keeps p99 under a second. Batching does not need the
 *   wait: messages that arrive while a delivery runs form the next batch.
 * - `max_batch_size: 100` — the platform maximum. Under load a delivery
 *   takes up to 100 events, which ESCF applies in one D1 batch, so a
 *   consumer keeps up with fewer invocations and D1 calls.
 */
export const DEFAULT_QUEUE_BATCH = { maxBatchSize: 100, maxBatchTimeout: 0 } as const;

/** Computes the bindings of `worker` from the whole system (API workers publish to every subscriber). */
export function workerBindings(system: SystemModel, worker: WorkerModel): WorkerBindings {
  const sections: Record<SectionName, ManagedEntry[]> = {
    durable_objects: [],
    d1_databases: [],
    queue_producers: [],
    queue_consumers: [],
    services: [],
    workflows: [],
    ratelimits: [],
    r2_buckets: [],
  };
  const add = (section: SectionName, entry: ManagedEntry) => {
    if (!sections[section].some((e) => e.key === entry.key)) sections[section].push(entry);
  };
  const workerOf = (reactor: ReactorModel) => system.workers.find((w) => w.reactor === reactor)!;
  const serviceEntry = (reactor: ReactorModel): ManagedEntry => ({
    key: reactor.serviceBinding,
    enforced: { binding: reactor.serviceBinding, service: workerOf(reactor).workerName },
  });
  // One entry per event-store shard; every shard database gets the same migrations.
  const eventStore = (withMigrations: boolean): ManagedEntry[] =>
    system.eventStoreShards.map((_, shard) => ({
      key: eventStoreShardBinding(shard),
      enforced: {
        binding: eventStoreShardBinding(shard),
        ...(withMigrations ? { migrations_dir: GeneratedPaths.eventStoreMigrations } : {}),
      },
      // The database name and id are the user's to change once the database exists.
      defaults: { database_name: eventStoreDatabaseName(system.name, shard) },
    }));

  const publishTo = {
    queues: [] as string[],
    services: [] as string[],
    routes: {} as Record<string, string[]>,
    syncSubscribers: {} as Record<string, string>,
  };
  if (worker.kind === 'api') {
    for (const [name, rule] of Object.entries(worker.rateLimits)) {
      add('ratelimits', {
        key: name,
        enforced: { name, namespace_id: String(rule.namespaceId), simple: { limit: rule.limit, period: rule.period } },
      });
    }
    for (const aggregate of worker.aggregates) {
      add('durable_objects', {
        key: aggregate.binding,
        enforced: { name: aggregate.binding, class_name: aggregate.durableObjectClass },
      });
    }
    for (const shard of eventStore(true)) add('d1_databases', shard);
    // The admin entrypoint (console configured) reaches every projection and process for status and actions.
    if (system.console?.adminWorkerKey === worker.key) {
      for (const reactor of system.reactors) add('services', serviceEntry(reactor));
    }
    for (const reactor of system.reactors) {
      if (reactor.delivery === 'queue') {
        add('queue_producers', {
          key: reactor.queueBinding,
          enforced: { binding: reactor.queueBinding, queue: reactor.queueName },
        });
        publishTo.queues.push(reactor.queueBinding);
        publishTo.routes[reactor.queueBinding] = [...reactor.events];
      } else {
        add('services', serviceEntry(reactor));
        publishTo.services.push(reactor.serviceBinding);
        publishTo.syncSubscribers[reactor.name] = reactor.serviceBinding;
        publishTo.routes[reactor.serviceBinding] = [...reactor.events];
      }
    }
  }

  const reactor = worker.reactor;
  if (reactor) {
    add('d1_databases', {
      key: reactor.databaseBinding,
      enforced: { binding: reactor.databaseBinding, migrations_dir: GeneratedPaths.databaseMigrations },
      defaults: { database_name: reactor.databaseName },
    });
    // Projections rebuild and fill gaps from the shared log; its migrations belong to the API worker.
    for (const shard of eventStore(false)) add('d1_databases', shard);
    if (reactor.delivery === 'queue') {
      // A projection also produces to its own queue: rebuilds carry themselves forward in steps.
      if (reactor.kind === 'projection') {
        add('queue_producers', {
          key: reactor.queueBinding,
          enforced: { binding: reactor.queueBinding, queue: reactor.queueName },
        });
      }
      const { maxRetries, maxBatchSize, maxBatchTimeout } = reactor.queueOptions;
      add('queue_consumers', {
        key: reactor.queueName,
        enforced: {
          queue: reactor.queueName,
          dead_letter_queue: reactor.deadLetterQueue,
          // Enforced: the generated entrypoint is told the same number.
          max_retries: maxRetries ?? DEFAULT_MAX_RETRIES,
          ...(maxBatchSize !== undefined ? { max_batch_size: maxBatchSize } : {}),
          ...(maxBatchTimeout !== undefined ? { max_batch_timeout: maxBatchTimeout } : {}),
        },
        // Written when absent, then yours to tune (see DEFAULT_QUEUE_BATCH for why these values).
        defaults: {
          ...(maxBatchSize === undefined ? { max_batch_size: DEFAULT_QUEUE_BATCH.maxBatchSize } : {}),
          ...(maxBatchTimeout === undefined ? { max_batch_timeout: DEFAULT_QUEUE_BATCH.maxBatchTimeout } : {}),
        },
      });
      // Consuming its dead-letter queue lets the entrypoint mark those streams as stuck (projections and processes).
      add('queue_consumers', { key: reactor.deadLetterQueue, enforced: { queue: reactor.deadLetterQueue } });
    }
    for (const queue of reactor.triggerQueues) add('queue_consumers', { key: queue, enforced: { queue } });
    for (const workflow of reactor.workflows) {
      add('workflows', {
        key: workflow.binding,
        enforced: { binding: workflow.binding, name: workflow.name, class_name: workflow.exportName },
      });
    }
  }
  for (const { aggregate, scriptName } of worker.commands) {
    add('durable_objects', {
      key: aggregate.binding,
      enforced: { name: aggregate.binding, class_name: aggregate.durableObjectClass, script_name: scriptName },
    });
  }
  for (const called of worker.calls) add('services', serviceEntry(called));

  // The archive: its worker writes it on a schedule; projections and processes read it (rebuilds start in R2).
  const archive = system.archive;
  const archives = archive?.workerKey === worker.key;
  if (archive && (archives || reactor)) {
    const bucket = { bucket_name: archive.bucketName };
    add('r2_buckets', {
      key: archive.bucketBinding,
      enforced: { binding: archive.bucketBinding, ...(archive.bucketNamed ? bucket : {}) },
      ...(archive.bucketNamed ? {} : { defaults: bucket }),
    });
  }
  const crons = [...(reactor?.crons ?? []), ...(archives ? [archive!.schedule] : [])];
  return { sections, crons, publishTo };
}
