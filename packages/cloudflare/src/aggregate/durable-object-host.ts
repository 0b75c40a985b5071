import { DurableObject } from 'cloudflare:workers';
import {
  type Aggregate,
  type AggregateClass,
  type CommandResult,
  DefinitionError,
  type ExecuteOptions,
  Forbidden,
  type StateOf,
} from '@escf/core';
import {
  type CommandEngine,
  type CommandMetricsSnapshot,
  type CommandPipelinePort,
  engineFor,
  log,
  type PipelineCommit,
  runCommandPipeline,
  uniqueValuesOf,
  withTraceMetadata,
} from '@escf/core/internal';
import { type OutboxBacklog, outboxBacklogOf } from '../admin/outbox-backlog.js';
import { SensitiveCipher } from '../crypto-shredding/sensitive-cipher.js';
import { type AggregateInstanceMetrics, AggregateMetrics } from '../metrics/aggregate-metrics.js';
import { rollUpInstance } from '../metrics/metrics-rollup.js';
import { commandSpan } from '../observability/command-span.js';
import { Outbox, type OutboxReport } from '../outbox/outbox.js';
import { type RpcReply, replyFrom } from '../rpc/error-encoding.js';
import { UniqueValueLedger } from '../uniqueness/unique-value-ledger.js';
import { type AggregateAddress, checkAddress, durableObjectName } from './aggregate-address.js';
import { AggregateStorage } from './aggregate-storage.js';
import { CommandMutex } from './command-mutex.js';
import { deliveryPending } from './delivery-pending-error.js';
import { faultPoint } from './fault-points.js';
import { type AggregateHostOptions, type ResolvedHostOptions, resolveHostOptions } from './host-options.js';
import { readPrunedHistory } from './pruned-history.js';
import { type RetainRequest, type RetainResult, retainInStorage } from './retain-request.js';
import { requireSyncSubscribers } from './sync-wait.js';

/** One command sent to an aggregate host over RPC. */
export interface CommandRequest {
  readonly address: AggregateAddress;
  readonly command: string;
  readonly input: unknown;
  readonly options?: ExecuteOptions;
  /** The caller's W3C trace context (when tracing is on): the command's span continues that trace. */
  readonly trace?: { readonly traceparent: string; readonly tracestate?: string };
}

/** The state of an aggregate instance, as {@link AggregateHost.readState} returns it. */
export interface AggregateState<S = unknown> {
  readonly version: number;
  readonly state: S;
}

/**
 * The Durable Object that hosts one aggregate instance. Do not subclass it
 * directly: {@link durableObjectFor} derives one per aggregate class.
 *
 * Its RPC methods never throw ESCF errors: they return an {@link RpcReply}
 * (workerd would strip codes and details from a thrown error); the typed
 * client from {@link aggregateClients} unwraps it.
 */
export class AggregateHost<A extends Aggregate<any> = Aggregate<any>, Env = unknown> extends DurableObject<Env> {
  readonly #engine: CommandEngine<A>;
  readonly #options: ResolvedHostOptions;
  readonly #storage: AggregateStorage;
  readonly #outbox: Outbox;
  readonly #mutex = new CommandMutex();
  /** How the command pipeline reads and writes this object's storage. */
  readonly #port: CommandPipelinePort;
  readonly #uniqueValues: UniqueValueLedger | undefined;
  readonly #cipher: SensitiveCipher | undefined;
  readonly #metrics: AggregateMetrics;
  /** Warm state: the instance at its latest committed version, after the first load. */
  #instance: A | null = null;
  #address: AggregateAddress | null = null;
  #identityStored = false;
  #snapshotVersion = 0;
  /** Set while an `executeSync` command runs (commands are serialized): its commit is delivered right after. */
  #drainsNow = false;
  #rollupTableReady = false;
  /** Whether the last rollup row showed events pending or a failing target. */
  #rolledUpBacklog = false;

  constructor(ctx: DurableObjectState, env: Env, aggregateClass: AggregateClass<A>, options: ResolvedHostOptions) {
    super(ctx, env);
    this.#engine = engineFor(aggregateClass);
    this.#options = options;
    this.#storage = new AggregateStorage(ctx.storage);
    this.#port = {
      maxEventBytes: options.maxEventBytes,
      publishesToQueues: options.queues.length > 0,
      findIdempotentResult: (key, now) => this.#storage.findIdempotentResult(key, now),
      commit: (commit) => this.#commit(commit),
    };
    if (options.encryptSensitive && options.sensitiveFields && options.sensitiveFields.size > 0) {
      this.#cipher = new SensitiveCipher(ctx.storage.sql, options.sensitiveFields);
    }
    const cipher = this.#cipher;
    // Read env lazily: bindings may be swapped (tests inject faults this way).
    this.#outbox = new Outbox(
      ctx,
      this.#storage,
      () => this.env as Record<string, unknown>,
      options,
      cipher ? (events) => cipher.open(events) : undefined,
    );
    const dataset = options.analyticsEngineBinding;
    this.#metrics = new AggregateMetrics(
      this.#storage,
      this.#engine.type,
      options.metricsEnabled,
      dataset === undefined
        ? undefined
        : () => (this.env as Record<string, unknown>)[dataset] as AnalyticsEngineDataset | undefined,
      options.metricsPersistIntervalMs,
      () => options.clock.now(),
      (commands) => this.#rollUpMetrics(commands),
    );
    const unique = uniqueValuesOf(aggregateClass);
    if (unique && options.uniqueness)
      this.#uniqueValues = new UniqueValueLedger(ctx.storage.sql, this.#engine.type, unique, options.uniqueness);
  }

  /** Whether this instance holds a unique-value claim in committed state (asked by {@link UniqueValueClaims}). */
  holdsUniqueValue(key: string): boolean {
    return this.#uniqueValues?.holds(key) ?? false;
  }

  /** Runs a command; resolves once its events are committed in this object's storage. */
  async execute(request: CommandRequest): Promise<RpcReply<CommandResult>> {
    const startedAt = Date.now();
    const reply = await replyFrom(() =>
      commandSpan(this.ctx, this.#engine.type, request, () => this.#mutex.run(() => this.#runCommand(request))),
    );
    return this.#metrics.recorded(request?.command, reply, startedAt);
  }

  /**
   * Runs a command and resolves once its events are also in D1 and delivered
   * to every synchronous subscriber (read-your-writes). If delivery fails
   * the command stays committed and the reply is `DELIVERY_PENDING`.
   * `waitFor` names the subscribers the caller reads (`'*'`: every one, of
   * which there must be one); a wait this host cannot keep is refused with
   * `SYNC_NOT_DECLARED` before the command runs.
   */
  async executeSync(request: CommandRequest, waitFor?: readonly string[] | '*'): Promise<RpcReply<CommandResult>> {
    const startedAt = Date.now();
    const reply = await replyFrom(() =>
      commandSpan(this.ctx, this.#engine.type, request, async () => {
        requireSyncSubscribers(this.#engine.descriptor.type, this.#options.syncNames, waitFor);
        const result = await this.#mutex.run(async () => {
          this.#drainsNow = true;
          try {
            return await this.#runCommand(request);
          } finally {
            this.#drainsNow = false;
          }
        });
        const failures = await this.#outbox.drainThrough(result.version);
        if (failures.length > 0) throw deliveryPending(result, failures.join('; '));
        return result;
      }),
    );
    return this.#metrics.recorded(request?.command, reply, startedAt);
  }

  /** The instance's current state and version (a read; stores nothing). */
  readState(address: AggregateAddress): Promise<RpcReply<AggregateState<StateOf<A>>>> {
    return replyFrom(() =>
      this.#mutex.run(async () => {
        const instance = await this.#load(checkAddress(address));
        const { state, version } = this.#engine.stateOf(instance);
        return { state: state as StateOf<A>, version };
      }),
    );
  }

  /**
   * Crypto-shredding: deletes this instance's key, so its sealed sensitive
   * fields (`encryptSensitive`) are unreadable everywhere — its storage, the
   * D1 log, archives — and its snapshot, which holds them in clear, is dropped.
   */
  eraseSensitive(address: AggregateAddress): Promise<RpcReply<{ erased: boolean }>> {
    return replyFrom(() =>
      this.#mutex.run(async () => {
        await this.#load(checkAddress(address));
        if (!this.#cipher) return { erased: false };
        this.#cipher.shred();
        this.#storage.dropSnapshot();
        this.#instance = null;
        this.#address = null;
        return { erased: true };
      }),
    );
  }

  /** Drains the outbox now (normally the alarm does) and reports what happened. */
  flushOutbox(): Promise<OutboxReport> {
    return this.#outbox.drain();
  }

  /** What each delivery target has not received yet (for the admin entrypoint); reads only. */
  outboxBacklog(): OutboxBacklog {
    const identity = this.#storage.readIdentity();
    return outboxBacklogOf({
      version: this.#storage.headVersion(),
      cursors: this.#storage.readCursors(),
      queues: this.#options.queues,
      services: this.#options.services,
      committedAfter: (delivered) =>
        identity === null ? null : (this.#storage.readEvents(identity, delivered, { limit: 1 })[0]?.timestamp ?? null),
      failing: this.#outbox.health.failing(),
      now: Date.now(),
    });
  }

  /** This instance's command counts and latency, and its outbox backlog (for the admin entrypoint); reads only. */
  metrics(): AggregateInstanceMetrics {
    return { aggregateType: this.#engine.type, commands: this.#metrics.snapshot(), outbox: this.outboxBacklog() };
  }

  /**
   * Retention (called by the archiver): snapshots the current state and, with
   * `pruneThrough`, deletes archived local events. See `retainInStorage`.
   */
  retain(request: RetainRequest): Promise<RpcReply<RetainResult>> {
    return replyFrom(() =>
      this.#mutex.run(async () => {
        const instance = await this.#load(checkAddress(request?.address));
        const { state, version } = this.#engine.stateOf(instance);
        return retainInStorage(
          this.#storage,
          { version, state, fingerprint: this.#engine.descriptor.fingerprint },
          request,
        );
      }),
    );
  }

  override async alarm(): Promise<void> {
    try {
      await this.#outbox.onAlarm();
    } finally {
      // A backlog or failure the rollup shows (or showed last time) is news to write even without commands.
      if (this.#rolledUpBacklog || this.#outbox.health.failing().length > 0) this.#metrics.markChanged();
      await this.#metrics.persist(); // at most once per persist interval: never a write per command
    }
  }

  /** Folds this instance's counts and outbox backlog into the system-wide rollup in D1 (one upsert); never throws. */
  async #rollUpMetrics(commands: CommandMetricsSnapshot): Promise<void> {
    const identity =
      this.#storage.readIdentity() ?? (this.#address && { aggregateType: this.#engine.type, ...this.#address });
    const db = (this.env as Record<string, unknown>)[this.#options.eventStoreBinding] as D1Database | undefined;
    if (!identity || !db) return;
    const outbox = this.outboxBacklog();
    try {
      await rollUpInstance(db, { ...identity, commands, outbox, updatedAt: Date.now() }, !this.#rollupTableReady);
      this.#rollupTableReady = true;
      this.#rolledUpBacklog = outbox.targets.some((t) => t.pending > 0 || t.failing !== null);
    } catch (error) {
      // The rollup is a view: its next write catches up. The instance's own counts are safe in its SQLite.
      log({ level: 'debug', message: 'metrics rollup failed', code: 'METRICS_ROLLUP_FAILED', ...identity, error });
    }
  }

  async #runCommand(request: CommandRequest): Promise<CommandResult> {
    const address = checkAddress(request?.address);
    const instance = await this.#load(address);
    return runCommandPipeline(
      this.#engine,
      {
        instance,
        aggregateId: address.aggregateId,
        command: request.command,
        input: request.input,
        options: withTraceOptions(request.options),
        now: this.#options.clock.now(),
        streamName: `${this.#engine.type} ${address.aggregateId}`,
      },
      this.#port,
    );
  }

  /** One atomic write of a decision, then what follows a commit (outbox, unique-value claims, warm state). */
  async #commit({ command, decision, result, idempotency }: PipelineCommit<A>): Promise<void> {
    const address = this.#address!;
    const hasEvents = decision.events.length > 0;
    faultPoint('command:decided');
    const snapshot = hasEvents && decision.version - this.#snapshotVersion >= this.#options.snapshotEvery;
    // Sensitive fields are stored sealed (crypto-shredding); the result keeps them in clear for the caller.
    const stored = this.#cipher && hasEvents ? await this.#cipher.seal(decision.events) : decision.events;
    // Unique values the new state holds: claimed before the commit, recorded in it, settled after it.
    const claims =
      hasEvents && this.#uniqueValues
        ? await this.#uniqueValues.prepare(this.env as object, address, decision.state)
        : undefined;
    if (claims && !claims.empty) faultPoint('command:claimed');
    try {
      this.#storage.commit({
        events: stored,
        ...(snapshot
          ? {
              snapshot: {
                version: decision.version,
                state: decision.state,
                fingerprint: this.#engine.descriptor.fingerprint,
              },
            }
          : {}),
        ...(idempotency === undefined
          ? {}
          : {
              idempotency: {
                key: idempotency.key,
                fingerprint: idempotency.fingerprint,
                result: { ...result, events: stored },
                expiresAt: command.now + this.#options.idempotencyTtlMs,
              },
            }),
        ...(hasEvents && !this.#identityStored ? { identity: { aggregateType: this.#engine.type, ...address } } : {}),
        ...(claims && !claims.empty ? { alsoWrite: claims.write } : {}),
      });
    } catch (error) {
      await claims?.abandon();
      throw error;
    }
    // Committed: make sure the alarm will deliver the events before anything else can fail.
    if (hasEvents) this.#outbox.afterCommit(this.#drainsNow);
    // Confirm what was taken, release what was given up; never throws (claim objects heal from the owner's storage).
    if (claims && !claims.empty) await claims.settle();
    try {
      faultPoint('command:committed');
      this.#engine.accept(command.instance, decision);
    } catch (error) {
      // The warm state is behind storage now: reload it on the next request instead of deciding on it.
      this.#instance = null;
      this.#address = null;
      throw error;
    }
    if (snapshot) this.#snapshotVersion = decision.version;
    if (hasEvents) this.#identityStored = true;
  }

  /** The warm instance, loading it on first use: snapshot (if its fingerprint matches) + tail of events. */
  async #load(address: AggregateAddress): Promise<A> {
    if (this.#instance && this.#address) {
      this.#assertSameAddress(this.#address, address);
      return this.#instance;
    }
    // The object's own name, when known, must be this address: a caller
    // cannot reach another tenant's aggregate by passing a forged address.
    const name = this.ctx.id.name;
    if (name !== undefined && name !== durableObjectName(address)) {
      throw new Forbidden(`This ${this.#engine.type} object does not host that address`, {
        details: {
          aggregateId: address.aggregateId,
        },
      });
    }
    const identity = this.#storage.readIdentity();
    if (identity) this.#assertSameAddress(identity, address);

    const instance = this.#engine.create(address.aggregateId, address.tenantId);
    const snapshot = this.#storage.readSnapshot();
    let from = 0;
    if (snapshot && snapshot.fingerprint === this.#engine.descriptor.fingerprint) {
      this.#engine.restore(instance, JSON.parse(snapshot.state), snapshot.version);
      from = snapshot.version;
    }
    // Stale snapshot (other code version) or none: rebuild from our own events.
    const identityForRead = identity ?? { aggregateType: this.#engine.type, ...address };
    // Events pruned by retention (archived to R2) are read back when the snapshot does not cover them.
    const archived = await readPrunedHistory(
      this.#storage,
      this.#options.prunedHistory,
      this.env,
      identityForRead,
      from,
    );
    this.#engine.replay(instance, this.#cipher ? await this.#cipher.open(archived) : archived);
    const local = this.#storage.readEvents(identityForRead, from);
    this.#engine.replay(instance, this.#cipher ? await this.#cipher.open(local) : local);
    this.#instance = instance;
    this.#address = address;
    this.#identityStored = identity !== null;
    this.#snapshotVersion = from;
    await this.#outbox.recover();
    return instance;
  }

  #assertSameAddress(known: AggregateAddress, address: AggregateAddress): void {
    if (known.aggregateId !== address.aggregateId || known.tenantId !== address.tenantId) {
      throw new Forbidden(`This ${this.#engine.type} object does not host that address`, {
        details: {
          aggregateId: address.aggregateId,
        },
      });
    }
  }
}

/** The class {@link durableObjectFor} returns: a Durable Object hosting aggregate `A`. */
export type AggregateHostClass<A extends Aggregate<any>> = new (ctx: DurableObjectState, env: any) => AggregateHost<A>;

/**
 * Derives the Durable Object class that hosts every instance of an aggregate
 * (one object per instance, SQLite storage). Export it from your worker and
 * declare it under `new_sqlite_classes`; `escf generate` writes both.
 *
 * @example
 * ```ts
 * // worker.ts
 * export const UserAggregate = durableObjectFor(User, { queues: ['ESCF_EVENTS_QUEUE'], services: ['SESSIONS'] });
 * // wrangler.jsonc: durable_objects.bindings [{ name: 'USER_AGGREGATE', class_name: 'UserAggregate' }],
 * //                 d1_databases [{ binding: 'ESCF_EVENTS', … }]
 * ```
 */
export function durableObjectFor<A extends Aggregate<any>>(
  aggregateClass: AggregateClass<A>,
  options: AggregateHostOptions = {},
): AggregateHostClass<A> {
  const engine = engineFor(aggregateClass); // validate the aggregate's definition now, not on the first request
  const sensitiveFields = new Map(
    [...engine.descriptor.reducers.values()]
      .filter((r) => r.event.sensitive.length > 0)
      .map((r) => [r.event.type, r.event.sensitive]),
  );
  const declaredEventTypes = new Set(engine.descriptor.reducers.keys());
  const resolved: ResolvedHostOptions = { ...resolveHostOptions(options), sensitiveFields, declaredEventTypes };
  if (uniqueValuesOf(aggregateClass) && options.uniqueness === undefined) {
    throw new DefinitionError(
      `${aggregateClass.type} declares static unique values: pass durableObjectFor(${aggregateClass.type}, { uniqueness: { claims: '<UniqueValueClaims binding>', owner: '<this aggregate's binding>' } }).`,
    );
  }
  return class extends AggregateHost<A> {
    constructor(ctx: DurableObjectState, env: unknown) {
      super(ctx, env, aggregateClass, resolved);
    }
  };
}

/** The command's options with the active trace context added to its event metadata (tracing off: unchanged). */
function withTraceOptions(options: ExecuteOptions | undefined): ExecuteOptions {
  const given = options ?? {};
  const metadata = withTraceMetadata(given.metadata);
  return metadata === undefined ? given : { ...given, metadata };
}
