import { WorkerEntrypoint } from 'cloudflare:workers';
import type { EventEnvelope, ProjectionClass } from '@escf/core';
import { describeProjection } from '@escf/core/internal';
import { type EventStore, isShardedEventLog } from '@escf/core/store';
import { projectionSpan } from '../observability/projection-span.js';
import { readActiveDatabase } from './projection-active-database.js';
import { ProjectionApplier } from './projection-applier.js';
import type { ProjectionQueryReplies } from './projection-client.js';
import { consumeDeadLetters, consumeEvents, type DeliveryReport, deliverAll } from './projection-deliveries.js';
import { type EventLogSettings, projectionEventStore } from './projection-event-log.js';
import { installQueryMethods } from './projection-query-methods.js';
import { isRebuildContinuation, type RebuildContinuation } from './projection-rebuild.js';
import { ProjectionRebuildDriver } from './projection-rebuild-driver.js';
import { bindingOfRole, type ProjectionSettings, projectionSettings } from './projection-settings.js';
import { type ProjectionSide, ProjectionSides } from './projection-sides.js';
import { type ProjectionStatus, type RebuildStatus, readStatus } from './projection-status.js';
import { isEnvelope } from './stream-of-event.js';

export type { DeliveryReport } from './projection-deliveries.js';

/** Options of {@link projectionEntrypoint}; every binding name follows the convention unless given. */
export interface ProjectionEntrypointOptions<Env = any> {
  /** The projection's own D1 binding (checkpoints, read model); default `<NAME>_DB`. */
  readonly database?: string;
  /** Its queue's producer binding, used to carry rebuilds forward; default `<NAME>_QUEUE`. */
  readonly queue?: string;
  /**
   * Where missing events and rebuilds are read from: the D1 event store's
   * binding and table — the same settings as `durableObjectFor`'s
   * `eventStore`; default `ESCF_EVENTS`, `escf_events` — or a factory of any
   * {@link EventStore}.
   */
  readonly eventStore?: EventLogSettings | ((env: Env) => EventStore);
  /**
   * The log's last global position, for rebuild progress; default reads the
   * configured D1 event store (a failing read is `EVENT_LOG_UNAVAILABLE`,
   * logged and thrown; `null` without a binding or with an `eventStore` factory).
   */
  readonly logHead?: (env: Env) => Promise<number | null>;
  /** Must equal the consumer's `max_retries` in wrangler config (default 3): the last attempt is reported as dead-lettered. */
  readonly maxRetries?: number;
  /** First retry delay in seconds, doubled per attempt up to 5 minutes (default 2). */
  readonly retryDelaySeconds?: number;
  /** Name of the dead-letter queue, when this worker also consumes it: its messages mark the stream as dead-lettered. */
  readonly deadLetterQueue?: string;
  /** Events read from the log per page of a rebuild (default 1,000); a step applies many pages, many events per D1 batch. */
  readonly rebuildBatchSize?: number;
  /**
   * Pages one rebuild step applies at most. By default a step keeps going
   * for up to 10 s or 600 D1 calls (a Worker invocation may make 1,000),
   * then hands over to the next continuation message.
   */
  readonly rebuildPagesPerStep?: number;
  /**
   * Opt-in blue/green rebuilds: a second D1 binding with the same read-model
   * schema, e.g. `'SESSIONS_DB_NEXT'`. A rebuild then fills whichever of the
   * two databases is inactive while queries and live deliveries keep using
   * the complete active one, and switches them over once it has caught up
   * with the log. The projection class is constructed a second time for it,
   * with an `env` whose `database` binding is the standby database.
   */
  readonly standbyDatabase?: string;
}

/** The admin and delivery surface every projection entrypoint adds to its queries. */
export interface ProjectionAdmin {
  /** Direct RPC delivery (the aggregate's outbox calls it for read-your-writes). Throws if any stream failed; the others are applied. */
  deliver(events: readonly EventEnvelope[]): Promise<DeliveryReport>;
  /** Checkpoint position, stuck streams and rebuild progress. */
  status(): Promise<ProjectionStatus>;
  /** Empties the read model and replays the whole log into it, in steps carried by the projection's queue. */
  rebuild(): Promise<RebuildStatus>;
  /** Runs one rebuild step now (for deliver-only projections, or to resume by hand). */
  rebuildStep(): Promise<RebuildStatus | null>;
  /** Retries every stuck stream from its checkpoint to the head of the log (after fixing the handler). */
  retryStuck(): Promise<DeliveryReport>;
}

/**
 * The class {@link projectionEntrypoint} returns: queries of `P` (each
 * answering an `RpcReply` over RPC; call them through
 * {@link projectionClients}) plus the admin surface.
 */
export type ProjectionEntrypointClass<P extends object, Env> = (new (
  ctx: ExecutionContext,
  env: Env,
) => WorkerEntrypoint<Env> &
  ProjectionQueryReplies<P> &
  ProjectionAdmin & { queue(batch: MessageBatch<unknown>): Promise<void> }) & {
  /** The `@Projection` class it serves (types the clients of other workers: {@link ProjectionOf}). */
  readonly projectionClass: ProjectionClass<P, Env>;
};

/**
 * The `WorkerEntrypoint` that hosts one projection: consumes its queue,
 * accepts direct RPC delivery, runs rebuilds and answers status. Do not
 * subclass it directly: {@link projectionEntrypoint} derives one per
 * projection class and adds the projection's query methods.
 *
 * Its collaborators: {@link ProjectionSides} (databases and instances, blue/green),
 * {@link ProjectionRebuildDriver} (rebuild steps over the queue), the
 * deliveries (`projection-deliveries.ts`) and the query methods
 * (`projection-query-methods.ts`). Members are `#private`: everything else
 * on a `WorkerEntrypoint` is callable over RPC.
 */
export class ProjectionHost<P extends object = object, Env = unknown> extends WorkerEntrypoint<Env> {
  readonly #settings: ProjectionSettings<Env>;
  readonly #sides: ProjectionSides<P, Env>;
  #rebuilds: ProjectionRebuildDriver<Env> | undefined;

  constructor(
    ctx: ExecutionContext,
    env: Env,
    projectionClass: ProjectionClass<P, Env>,
    settings: ProjectionSettings<Env>,
  ) {
    super(ctx, env);
    this.#settings = settings;
    this.#sides = new ProjectionSides(settings, projectionClass, env);
  }

  async deliver(events: readonly EventEnvelope[]): Promise<DeliveryReport> {
    return projectionSpan(this.ctx, this.#settings.descriptor.name, events, 'deliver', undefined, async () => {
      const side = await this.#sides.active();
      return deliverAll(this.#settings.descriptor, this.#applier(side), side.db, events);
    });
  }

  override async queue(batch: MessageBatch<unknown>): Promise<void> {
    // Read once per batch: its events were in the log before the batch began, so a switch
    // during the batch is still followed by a log read that brings them to the new side.
    const side = await this.#sides.active();
    if (this.#settings.options.deadLetterQueue !== undefined && batch.queue === this.#settings.options.deadLetterQueue)
      return consumeDeadLetters(this.#settings.descriptor, side.db, batch);
    const events: Array<Message<EventEnvelope>> = [];
    for (const message of batch.messages) {
      if (isRebuildContinuation(message.body)) await this.#rebuild.continue(message as Message<RebuildContinuation>);
      else if (isEnvelope(message.body)) events.push(message as Message<EventEnvelope>);
      else message.ack(); // not ours: retrying would not make it readable
    }
    if (events.length === 0) return;
    await consumeEvents(
      this.#settings.descriptor,
      this.#applier(side),
      side.db,
      events,
      {
        maxRetries: this.#settings.maxRetries,
        retryDelaySeconds: this.#settings.options.retryDelaySeconds,
      },
      this.ctx,
    );
  }

  async status(): Promise<ProjectionStatus> {
    const { name } = this.#settings.descriptor;
    const shards = this.#shardCount();
    if (!this.#sides.blueGreen) return readStatus(this.#sides.db, name, shards);
    const record = await readActiveDatabase(this.#sides.db, name);
    const status = await readStatus(this.#sides.side(record.active).db, name, shards);
    return {
      ...status,
      rebuild: record.rebuilding ? await this.#rebuild.rebuilder(record.rebuilding).status() : status.rebuild,
      databases: {
        active: bindingOfRole(this.#settings, record.active),
        rebuilding: record.rebuilding && bindingOfRole(this.#settings, record.rebuilding),
      },
    };
  }

  rebuild(): Promise<RebuildStatus> {
    return this.#rebuild.start();
  }

  rebuildStep(): Promise<RebuildStatus | null> {
    return this.#rebuild.step();
  }

  async retryStuck(): Promise<DeliveryReport> {
    const side = await this.#sides.active();
    const status = await readStatus(side.db, this.#settings.descriptor.name);
    const store = this.#store();
    const events: EventEnvelope[] = [];
    for (const stuck of status.stuck) {
      const [tenantId, aggregateType, ...rest] = stuck.stream.split('/');
      // The key's tenant is URI-encoded (see core's streamKey); the id may contain '/'.
      const stream = {
        aggregateType: aggregateType!,
        aggregateId: rest.join('/'),
        ...(tenantId ? { tenantId: decodeURIComponent(tenantId) } : {}),
      };
      events.push(...(await store.readStream(stream, { fromVersion: stuck.version })));
    }
    return deliverAll(this.#settings.descriptor, this.#applier(side), side.db, events);
  }

  /** The projection instance queries run on: the active side's (read per call for blue/green projections). */
  static queryTarget(host: ProjectionHost<object, unknown>): object | Promise<object> {
    return host.#sides.blueGreen ? host.#sides.active().then((side) => side.projection) : host.#sides.projection;
  }

  get #rebuild(): ProjectionRebuildDriver<Env> {
    return (this.#rebuilds ??= new ProjectionRebuildDriver(this.#settings, this.#sides, {
      env: this.env,
      ctx: this.ctx,
      store: () => this.#store(),
    }));
  }

  #store(): EventStore {
    return projectionEventStore(this.#settings, this.env);
  }

  /** How many shards the event store has (1 unless it is sharded: then each shard's applied position is recorded, see projection-shard-positions.ts). */
  #shardCount(): number {
    let store: EventStore;
    try {
      store = this.#store();
    } catch {
      return 1; // no event-store binding: status still answers, as before
    }
    return isShardedEventLog(store) ? store.shardCount : 1;
  }

  #applier(side: ProjectionSide): ProjectionApplier {
    return new ProjectionApplier(this.#settings.descriptor, side.projection, side.db, this.#store());
  }
}

/**
 * Turns a `@Projection` class into a `WorkerEntrypoint` (export it as the
 * worker's default export and as a named entrypoint). It consumes the
 * projection's queue (`queue`), accepts direct RPC delivery (`deliver`),
 * answers the projection's query methods over RPC with their types, and
 * offers `status`, `rebuild` and `retryStuck`.
 *
 * @example
 * ```ts
 * // projections/sessions/src/index.ts
 * export const SessionsEntrypoint = projectionEntrypoint(Sessions);
 * export default SessionsEntrypoint;
 * // another worker (EscfProjections is generated into its escf-env.generated.ts):
 * const session = await projectionClients<EscfProjections>(env).SESSIONS.getSession(id);
 * ```
 */
export function projectionEntrypoint<P extends object, Env extends object = any>(
  projectionClass: ProjectionClass<P, Env>,
  options: ProjectionEntrypointOptions<Env> = {},
): ProjectionEntrypointClass<P, Env> {
  const settings = projectionSettings(describeProjection(projectionClass), options);
  const Entrypoint = class extends ProjectionHost<P, Env> {
    constructor(ctx: ExecutionContext, env: Env) {
      super(ctx, env, projectionClass, settings);
    }
  };
  installQueryMethods(Entrypoint, settings.queries, ProjectionHost.queryTarget);
  Object.defineProperty(Entrypoint, 'name', { value: `${settings.descriptor.bindingPrefix}_Projection` });
  Object.defineProperty(Entrypoint, 'projectionClass', { value: projectionClass });
  return Entrypoint as unknown as ProjectionEntrypointClass<P, Env>;
}
