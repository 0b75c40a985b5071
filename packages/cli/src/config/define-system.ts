import type { AggregateClass } from '@escf/core';

/** Any class: projections, processes and workflows are only referenced, never constructed, by the CLI. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyClass = abstract new (...args: any[]) => unknown;

/** Settings of a projection's or process's queue consumer; unset fields keep wrangler's defaults or the user's values. */
export interface QueueConsumerOptions {
  /** How often a failing batch is retried before it lands in the dead-letter queue. Default 3 (the runtime's default). */
  readonly maxRetries?: number;
  readonly maxBatchSize?: number;
  /** Seconds. */
  readonly maxBatchTimeout?: number;
}

/** What every worker of a system has. Paths are relative to the config file. */
export interface WorkerConfigBase {
  /** The worker's directory: it holds the worker's `wrangler.jsonc` and gets the generated files. */
  readonly dir: string;
  /** The module that exports every class this worker entry lists (e.g. `./src/domain/index.ts`). */
  readonly from: string;
  /**
   * Your own module for this worker (e.g. a Hono app as default export). The
   * generated entry re-exports all of it, so wrangler's `main` can point at
   * the generated module.
   */
  readonly entry?: string;
  /** The deployed worker name. Default: `<system name>-<worker key>`. */
  readonly workerName?: string;
  /** Names of projections this worker queries over RPC: each gets a service binding. */
  readonly calls?: readonly string[];
  /**
   * Name of an object exported by `from` whose fields are passed to the
   * generated `durableObjectFor` / `projectionEntrypoint` / `processEntrypoint`
   * call (e.g. a process's effects); binding names are generated and win.
   */
  readonly options?: string;
}

/** One Workers Rate Limiting binding: `limit` calls per key per `period` seconds, counted per Cloudflare location. */
export interface RateLimitConfig {
  readonly limit: number;
  /** Seconds: the platform accepts 10 or 60. */
  readonly period: 10 | 60;
  /** A positive integer, unique in your Cloudflare account. */
  readonly namespaceId: number;
}

/** A worker that hosts aggregates: one Durable Object class per aggregate, and the D1 event store. */
export interface ApiWorkerConfig extends WorkerConfigBase {
  readonly kind: 'api';
  readonly aggregates: readonly AggregateClass[];
  /**
   * Rate limits by binding name, e.g. `{ AUTH_RATE_LIMITER: { limit: 5, period: 60, namespaceId: 1001 } }`:
   * written as wrangler `ratelimits` (which `wrangler dev` also runs
   * locally); read them with `rateLimiter(env, name, rule)` from `@escf/cloudflare`.
   */
  readonly rateLimits?: Readonly<Record<string, RateLimitConfig>>;
  /**
   * Aggregates whose type was renamed, by type name. Their Durable Objects
   * keep their data under the new class (`renamed_classes`).
   */
  readonly renamed?: readonly { readonly from: string; readonly to: string }[];
  /**
   * Aggregate types removed on purpose, by type name. Their Durable Objects
   * and all their data are deleted on the next deploy (`deleted_classes`).
   */
  readonly deleted?: readonly string[];
}

/** How events reach a projection or process: through its queue (default) or by direct RPC from the outbox. */
export type Delivery = 'queue' | 'sync';

/** A worker that runs one projection (`@Projection` class). */
export interface ProjectionWorkerConfig extends WorkerConfigBase {
  readonly kind: 'projection';
  /** The `@Projection(name)` class; its name gives the bindings (`'sessions'` → `SESSIONS_QUEUE`, `SESSIONS_DB`, `SESSIONS`). */
  readonly projection: AnyClass;
  readonly delivery?: Delivery;
  readonly queue?: QueueConsumerOptions;
  /**
   * Aggregates this projection's query methods send commands to (e.g. a
   * session service whose `register` creates the user): it gets their
   * Durable Object bindings (hosted by the API worker).
   */
  readonly commands?: readonly AggregateClass[];
}

/** A Cloudflare Workflow a process starts. */
export interface WorkflowConfig {
  /** The binding the process uses, e.g. `VERIFY_EMAIL`. */
  readonly binding: string;
  /** The `WorkflowEntrypoint` class, exported by the worker's `from` module. */
  readonly workflow: AnyClass;
  /** The workflow's name in Cloudflare. Default: the binding in kebab case. */
  readonly name?: string;
}

/** A worker that runs one process (`@Process` class). */
export interface ProcessWorkerConfig extends WorkerConfigBase {
  readonly kind: 'process';
  /** The `@Process(name)` class. `@OnCron` methods become `triggers.crons`, `@OnQueue` ones queue consumers. */
  readonly process: AnyClass;
  readonly delivery?: Delivery;
  readonly queue?: QueueConsumerOptions;
  readonly workflows?: readonly WorkflowConfig[];
  /** Aggregates this process sends commands to: it gets their Durable Object bindings (hosted by the API worker). */
  readonly commands?: readonly AggregateClass[];
}

/** One worker of the system. */
export type WorkerConfig = ApiWorkerConfig | ProjectionWorkerConfig | ProcessWorkerConfig;

/**
 * The ESCF console (`@escf/console`): a worker serving the web inspector,
 * bound to the admin entrypoint (`EscfAdmin`) that `escf generate` then adds
 * to the API worker. Its secrets (`ESCF_CONSOLE_PASSWORD`, `ESCF_ADMIN_TOKEN`)
 * and the API worker's (`ESCF_ADMIN_READ_TOKEN`, `ESCF_ADMIN_WRITE_TOKEN`) are
 * set with `wrangler secret put` (locally in `.dev.vars`).
 */
export interface ConsoleConfig {
  /** The console worker's directory, e.g. `workers/console`. */
  readonly dir: string;
  /** The deployed worker name. Default: `<system name>-console`. */
  readonly workerName?: string;
  /** Key of the API worker whose admin entrypoint it uses (the one with the event store). Default: the first API worker. */
  readonly admin?: string;
}

/**
 * OpenTelemetry traces of every worker (see docs/observability.md). `escf
 * generate` sets each worker up with `traceWorker` from
 * `@escf/cloudflare/tracing`, adds the `nodejs_als` compatibility flag and
 * writes `ESCF_OTLP_ENDPOINT` / `ESCF_TRACE_SAMPLE_RATIO` into its `vars`.
 * Without an endpoint (here or as the `ESCF_OTLP_ENDPOINT` var of an
 * environment) tracing stays off.
 */
export interface TracingConfig {
  /** OTLP/HTTP traces endpoint, e.g. `https://api.honeycomb.io/v1/traces`. No credentials in it: use `headersSecret`. */
  readonly endpoint?: string;
  /** Name of the secret holding the export headers, `key=value,key2=value2` (e.g. `OTLP_HEADERS`). */
  readonly headersSecret?: string;
  /** Head sampling ratio of new traces, 0…1 (default 1). Incoming `traceparent` decisions are kept. */
  readonly sampleRatio?: number;
}

/**
 * Retention and archiving of the event log (see docs/operating-at-scale.md).
 * `escf generate` gives the worker that owns the event store (the console's
 * admin worker, else the first API worker) an R2 bucket (`ESCF_ARCHIVE`), a
 * cron trigger and a `scheduled` handler running the archiver
 * (`EventArchiver`, or `ShardedEventArchiver` with `shards`); aggregates named
 * in `pruneDurableObjects` get `durableObjectRetention` hooks and read pruned
 * history back with `archivedHistory`; projections and processes read R2 then
 * D1 (`ArchivingEventStore` / `ShardedArchivingEventStore`), so a rebuild
 * starts in the archive; the console's admin entrypoint gets the archiver.
 */
export interface ArchiveConfig {
  /**
   * A module, relative to the config file, whose default export is the
   * system's retention policies: `export default defineRetention({ … })`
   * (from `@escf/core/retention`).
   */
  readonly retention: string;
  /** When the archiver runs: a cron expression (five fields, UTC), e.g. `'*\/15 * * * *'`. */
  readonly schedule: string;
  /** The R2 bucket's name. Default: `<system name>-event-archive` (then yours to change in wrangler.jsonc). */
  readonly bucket?: string;
}

/** A whole system: which aggregates live in which API worker, which projections and processes run as which workers. */
export interface SystemConfig {
  /** Prefix of worker and database names, e.g. `users` → `users-api`, `users-events`. */
  readonly name: string;
  /** `compatibility_date` written into a worker's wrangler.jsonc when it has none. */
  readonly compatibilityDate?: string;
  /** Keyed by worker key (`api`, `sessions`…). */
  readonly workers: Readonly<Record<string, WorkerConfig>>;
  /** Adds the ESCF console worker and the admin entrypoint it uses. */
  readonly console?: ConsoleConfig;
  /** OpenTelemetry traces, exported as OTLP/HTTP (off when absent). */
  readonly tracing?: TracingConfig;
  /**
   * D1 databases the event store spreads streams over (default 1). Each
   * aggregate's stream lives in one shard, picked by a stable hash of
   * (tenant, type, id); `escf generate` binds `ESCF_EVENTS`, `ESCF_EVENTS_1`,
   * … in every worker and migrates each. To add shards later without moving
   * history, list the generations instead, oldest first (`[2, 4]`): streams
   * created before stay in their shard, new ones use the newest count.
   */
  readonly shards?: number | readonly number[];
  /** Moves events the retention policies no longer keep hot from D1 to R2, on a schedule (off when absent). */
  readonly archive?: ArchiveConfig;
}

/**
 * Declares a system for `escf generate` and `escf check`. It returns its
 * argument unchanged; its only job is to type-check `escf.config.ts`.
 *
 * @example
 * ```ts
 * // escf.config.ts
 * import { defineSystem } from '@escf/cli/config';
 * import { User } from './src/domain/index.js';
 * import { Sessions } from './src/projections/sessions.js';
 *
 * export default defineSystem({
 *   name: 'users',
 *   workers: {
 *     api: { kind: 'api', dir: 'workers/api', from: './src/domain/index.ts', entry: './workers/api/src/app.ts', aggregates: [User] },
 *     sessions: { kind: 'projection', dir: 'workers/sessions', from: './src/projections/sessions.ts', projection: Sessions },
 *   },
 * });
 * ```
 */
export function defineSystem<const C extends SystemConfig>(config: C): C {
  return config;
}
