import { type Clock, systemClock } from '@escf/core';
import { EVENT_STORE_BINDING, EVENT_STORE_TABLE } from '@escf/core/internal';
import type { ShardLayout } from '../event-store/shard-map.js';
import { METRICS_PERSIST_INTERVAL_MS } from '../metrics/aggregate-metrics.js';
import type { UniquenessOptions } from '../uniqueness/unique-value-ledger.js';
import { maxEventBytes } from './event-size-limit.js';
import type { PrunedHistoryReader } from './pruned-history.js';

/**
 * Options of {@link durableObjectFor}. Binding names are looked up on the
 * Durable Object's `env` when needed, so one class works in every
 * environment whose wrangler config declares those bindings.
 */
export interface AggregateHostOptions {
  /**
   * The D1 event store. Defaults to binding `ESCF_EVENTS`, table `escf_events`.
   * `shards` lists one D1 binding per shard database (shard 0 first) to
   * spread streams over several databases (a `ShardedD1EventStore`);
   * `layouts` are its generations when shards were added later.
   */
  readonly eventStore?: {
    readonly binding?: string;
    readonly table?: string;
    readonly shards?: readonly string[];
    readonly layouts?: readonly ShardLayout[];
  };
  /** Queue producer bindings every event is sent to (one JSON `EventEnvelope` per message). */
  readonly queues?: readonly string[];
  /**
   * Service bindings to WorkerEntrypoints with a `deliver(events)` method:
   * synchronous subscribers, awaited by `executeSync`.
   */
  readonly services?: readonly string[];
  /**
   * The names clients use for the synchronous subscribers, by name → service
   * binding, e.g. `{ balances: 'BALANCES' }` (`escf generate` writes one per
   * projection declared `delivery: 'sync'`). A client created with
   * `{ sync: 'balances' }` waits for that subscriber; naming one that is not
   * here (or in `services`) fails with `SYNC_NOT_DECLARED` before the command runs,
   * and so does `{ sync: true }` when there is none at all.
   */
  readonly syncSubscribers?: Readonly<Record<string, string>>;
  /**
   * The event types each queue or service binding's subscriber handles, e.g.
   * `{ LARGE_WITHDRAWALS_QUEUE: ['MoneyWithdrawn'] }`: events of the
   * aggregate's other types are not sent to it (`escf generate` fills this in
   * from the projections' and processes' handlers). A binding not listed
   * gets every event.
   */
  readonly routes?: Readonly<Record<string, readonly string[]>>;
  /** Write a state snapshot once this many events were applied since the last one. Defaults to 1 (every command). */
  readonly snapshotEvery?: number;
  /** How long an idempotency key is remembered, in ms. Defaults to 24 hours. */
  readonly idempotencyTtlMs?: number;
  /** The time commands run at (`this.now()`, event timestamps, idempotency-key expiry); default the system clock. */
  readonly clock?: Clock;
  /**
   * Largest event (JSON envelope) a command may emit, in bytes; larger ones
   * fail with `EVENT_TOO_LARGE` before anything is stored. Defaults to what
   * the platform carries: just under 128 KB when events go to queues, 1 MiB
   * otherwise; it can only be lowered.
   */
  readonly maxEventBytes?: number;
  /**
   * Where the aggregate's unique values (`static unique`) are claimed: the
   * {@link UniqueValueClaims} binding and this aggregate's own binding.
   * Required when the aggregate declares `static unique`; `false` hosts it
   * without enforcing them (only for tests of other concerns).
   */
  readonly uniqueness?: UniquenessOptions | false;
  /**
   * Which subscribers need which events' sensitive fields (`@Event(…, {
   * sensitive })`), by queue or service binding → event types, e.g.
   * `{ SESSIONS: ['UserSignedIn'], EMAIL_QUEUE: ['UserEmailVerificationIssued'] }`.
   * Every other delivery carries the events without those fields (named in
   * `metadata.redacted`): the email worker's queue never sees a password
   * hash. The D1 log keeps them (see crypto-shredding in docs/security.md).
   */
  readonly sensitiveReceivers?: Readonly<Record<string, readonly string[]>>;
  /**
   * Encrypt sensitive fields at rest with a key per aggregate instance
   * (AES-GCM, kept in its Durable Object): its own storage and the D1 log
   * hold ciphertext, and `eraseSensitive()` deletes the key —
   * crypto-shredding. Receivers in `sensitiveReceivers` still get plaintext
   * on live delivery; a rebuild from the log sees ciphertext.
   */
  readonly encryptSensitive?: boolean;
  /**
   * Where history pruned by retention is read back from when the snapshot
   * does not cover it (a code change invalidated it): `archivedHistory`
   * from `@escf/cloudflare/archive` for objects that `durableObjectRetention`
   * prunes. Without it such an object fails to load with `DEFINITION_ERROR`.
   */
  readonly prunedHistory?: PrunedHistoryReader;
  /**
   * Command metrics (counts by command, outcome and code; a latency
   * histogram), kept in memory and persisted in the object's SQLite by its
   * alarm; read them with the admin entrypoint's `metrics`. On by default.
   * `analyticsEngine` names a Workers Analytics Engine dataset binding that
   * also gets one data point per command (see docs/observability.md).
   * `persistIntervalMs` is how often, at most, an object writes its counts
   * (default 30 s): bursts of commands share one write.
   */
  readonly metrics?: {
    readonly enabled?: boolean;
    readonly analyticsEngine?: string;
    readonly persistIntervalMs?: number;
  };
  readonly outbox?: {
    /** Delay before the alarm drains new events, in ms; a longer delay batches more events per D1 row. Defaults to 0. */
    readonly delayMs?: number;
    /** First retry delay after a failed delivery, in ms; doubles per failure. Defaults to 1,000. */
    readonly retryBaseMs?: number;
    /** Longest retry delay, in ms. Defaults to 5 minutes. */
    readonly retryMaxMs?: number;
    /** Most events read from the outbox per D1 write. Defaults to 500. */
    readonly batchSize?: number;
  };
}

/** {@link AggregateHostOptions} with every default filled in. */
export interface ResolvedHostOptions {
  readonly uniqueness?: UniquenessOptions;
  readonly sensitiveReceivers: Readonly<Record<string, readonly string[]>>;
  readonly encryptSensitive: boolean;
  readonly routes: Readonly<Record<string, readonly string[]>>;
  /** Names a client may wait for with `sync`: every `syncSubscribers` name and every service binding. */
  readonly syncNames: readonly string[];
  /** The event types the aggregate declares; filled in by `durableObjectFor` (routing leaves out only these). */
  readonly declaredEventTypes?: ReadonlySet<string>;
  readonly prunedHistory?: PrunedHistoryReader;
  /** Sensitive payload fields by event type; filled in by `durableObjectFor` from the aggregate's events. */
  readonly sensitiveFields?: ReadonlyMap<string, readonly string[]>;
  readonly eventStoreBinding: string;
  readonly eventStoreTable: string;
  /** One binding per shard database; a single entry (the binding) when the store is not sharded. */
  readonly eventStoreShards: readonly string[];
  readonly eventStoreLayouts?: readonly ShardLayout[];
  readonly queues: readonly string[];
  readonly services: readonly string[];
  readonly snapshotEvery: number;
  readonly idempotencyTtlMs: number;
  readonly clock: Clock;
  readonly maxEventBytes: number;
  readonly outboxDelayMs: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly batchSize: number;
  readonly metricsEnabled: boolean;
  readonly metricsPersistIntervalMs: number;
  readonly analyticsEngineBinding?: string;
}

/** Fills in defaults and rejects nonsense early, at class definition time. */
export function resolveHostOptions(options: AggregateHostOptions = {}): ResolvedHostOptions {
  const eventStoreBinding = options.eventStore?.binding ?? EVENT_STORE_BINDING;
  const resolved: ResolvedHostOptions = {
    eventStoreBinding,
    eventStoreTable: options.eventStore?.table ?? EVENT_STORE_TABLE,
    eventStoreShards: [...(options.eventStore?.shards ?? [eventStoreBinding])],
    ...(options.eventStore?.layouts ? { eventStoreLayouts: [...options.eventStore.layouts] } : {}),
    queues: [...(options.queues ?? [])],
    services: [...(options.services ?? [])],
    routes: { ...(options.routes ?? {}) },
    syncNames: [...Object.keys(options.syncSubscribers ?? {}), ...(options.services ?? [])],
    snapshotEvery: options.snapshotEvery ?? 1,
    idempotencyTtlMs: options.idempotencyTtlMs ?? 24 * 60 * 60 * 1000,
    clock: options.clock ?? systemClock,
    maxEventBytes: maxEventBytes({ queues: options.queues ?? [], maxEventBytes: options.maxEventBytes }),
    outboxDelayMs: options.outbox?.delayMs ?? 0,
    retryBaseMs: options.outbox?.retryBaseMs ?? 1_000,
    retryMaxMs: options.outbox?.retryMaxMs ?? 5 * 60 * 1000,
    batchSize: options.outbox?.batchSize ?? 500,
    ...(options.uniqueness ? { uniqueness: options.uniqueness } : {}),
    sensitiveReceivers: { ...(options.sensitiveReceivers ?? {}) },
    encryptSensitive: options.encryptSensitive ?? false,
    ...(options.prunedHistory ? { prunedHistory: options.prunedHistory } : {}),
    metricsEnabled: options.metrics?.enabled ?? true,
    metricsPersistIntervalMs: options.metrics?.persistIntervalMs ?? METRICS_PERSIST_INTERVAL_MS,
    ...(options.metrics?.analyticsEngine ? { analyticsEngineBinding: options.metrics.analyticsEngine } : {}),
  };
  for (const key of ['snapshotEvery', 'batchSize', 'maxEventBytes'] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1)
      throw new RangeError(`durableObjectFor: ${key} must be a positive integer`);
  }
  for (const [name, binding] of Object.entries(options.syncSubscribers ?? {})) {
    if (!resolved.services.includes(binding))
      throw new RangeError(`durableObjectFor: syncSubscribers.${name} names '${binding}', which is not in services`);
  }
  if (resolved.eventStoreShards.length === 0)
    throw new RangeError('durableObjectFor: eventStore.shards lists no binding');
  for (const key of [
    'idempotencyTtlMs',
    'outboxDelayMs',
    'retryBaseMs',
    'retryMaxMs',
    'metricsPersistIntervalMs',
  ] as const) {
    if (!(resolved[key] >= 0)) throw new RangeError(`durableObjectFor: ${key} must be a non-negative number`);
  }
  return resolved;
}
