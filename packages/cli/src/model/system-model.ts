import type { QueueConsumerOptions, RateLimitConfig } from '../config/define-system.js';

/** One aggregate hosted by an API worker, with everything generation needs. */
export interface AggregateModel {
  readonly type: string;
  /** The aggregate class's export name in its worker's `from` module. */
  readonly exportName: string;
  /** `UserAggregate` */
  readonly durableObjectClass: string;
  /** `USER_AGGREGATE` */
  readonly binding: string;
}

/** A projection or process and the resources named after it. */
export interface ReactorModel {
  readonly kind: 'projection' | 'process';
  readonly name: string;
  readonly exportName: string;
  readonly delivery: 'queue' | 'sync';
  readonly queueBinding: string;
  readonly queueName: string;
  readonly deadLetterQueue: string;
  readonly queueOptions: QueueConsumerOptions;
  readonly databaseBinding: string;
  readonly databaseName: string;
  readonly serviceBinding: string;
  /** `@OnCron` schedules (processes). */
  readonly crons: readonly string[];
  /** Queues named by `@OnQueue` (processes). */
  readonly triggerQueues: readonly string[];
  readonly workflows: readonly { readonly binding: string; readonly name: string; readonly exportName: string }[];
  /** Event types it handles (for the console's system map). */
  readonly events: readonly string[];
}

/** One worker of the system, validated and resolved. */
export interface WorkerModel {
  readonly key: string;
  readonly kind: 'api' | 'projection' | 'process';
  readonly workerName: string;
  /** Absolute paths. */
  readonly dir: string;
  readonly from: string;
  readonly entry: string | undefined;
  /** Export of `from` spread into the generated host/entrypoint options. */
  readonly optionsExport: string | undefined;
  readonly aggregates: readonly AggregateModel[];
  /** Durable Object class names, derived from the config's aggregate type names. */
  readonly renamed: readonly { readonly from: string; readonly to: string }[];
  readonly deleted: readonly string[];
  readonly reactor: ReactorModel | undefined;
  /** Projections this worker calls over RPC. */
  readonly calls: readonly ReactorModel[];
  /** Aggregates of other workers this worker sends commands to. */
  readonly commands: readonly {
    readonly aggregate: AggregateModel;
    readonly scriptName: string;
    readonly hostDir: string;
  }[];
  /** Rate limiting bindings by name (API workers). */
  readonly rateLimits: Readonly<Record<string, RateLimitConfig>>;
}

/** A whole system, resolved from `escf.config.ts`: what every generator reads. */
export interface SystemModel {
  readonly name: string;
  readonly configPath: string;
  readonly compatibilityDate: string;
  readonly workers: readonly WorkerModel[];
  /** Every projection and process, in config order. */
  readonly reactors: readonly ReactorModel[];
  /** The console worker, when configured. */
  readonly console: ConsoleModel | undefined;
  /** The event store's shard layout generations (shard counts), oldest first; `[1]` when not sharded. */
  readonly eventStoreLayouts: readonly number[];
  /** One D1 binding per event-store shard, shard 0 (`ESCF_EVENTS`) first. */
  readonly eventStoreShards: readonly string[];
  /** OpenTelemetry export, when configured. */
  readonly tracing: TracingModel | undefined;
  /** Retention and archiving, when configured. */
  readonly archive: ArchiveModel | undefined;
}

/** The archiver as `escf generate` wires it: which worker runs it, where, when and with which policies. */
export interface ArchiveModel {
  /** Key of the API worker that runs the archiver (owns the event store). */
  readonly workerKey: string;
  /** `ESCF_ARCHIVE` */
  readonly bucketBinding: string;
  /** The R2 bucket (`bucket_name` in wrangler.jsonc). */
  readonly bucketName: string;
  /** Whether the config names the bucket (then enforced in wrangler.jsonc, else only a default). */
  readonly bucketNamed: boolean;
  /** The cron expression of the archiver's trigger. */
  readonly schedule: string;
  /** Absolute path of the module whose default export holds the retention policies. */
  readonly retentionModule: string;
  /** Aggregate types whose Durable Objects prune archived history (all hosted by the archive worker). */
  readonly prunedAggregates: readonly string[];
}

/** Tracing as `escf generate` writes it into each worker. */
export interface TracingModel {
  readonly endpoint: string | undefined;
  readonly headersSecret: string | undefined;
  readonly sampleRatio: number;
}

/** The console worker and the API worker whose admin entrypoint it calls. */
export interface ConsoleModel {
  readonly workerName: string;
  /** Absolute path. */
  readonly dir: string;
  /** Key of the API worker that exports `EscfAdmin`. */
  readonly adminWorkerKey: string;
}
