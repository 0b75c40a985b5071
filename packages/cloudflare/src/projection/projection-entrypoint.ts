import { WorkerEntrypoint } from 'cloudflare:workers';
import { DefinitionError, type EventEnvelope, type ProjectionClass, type ProjectionQueries } from '@escf/core';
import { describeProjection, log, type ProjectionDescriptor, serializeError } from '@escf/core/internal';
import type { EventStore } from '@escf/core/store';
import { D1EventStore } from '../event-store/d1-event-store.js';
import { EventsTable } from '../event-store/events-table.js';
import {
  beginRebuild,
  type DatabaseRole,
  readActiveDatabase,
  switchActiveDatabase,
} from './projection-active-database.js';
import { ProjectionApplier } from './projection-applier.js';
import { applyInBatches } from './projection-batch-applier.js';
import {
  isRebuildContinuation,
  ProjectionRebuild,
  REBUILD_WATCHDOG_SECONDS,
  type RebuildContinuation,
} from './projection-rebuild.js';
import {
  markDeadLettered,
  type ProjectionStatus,
  type RebuildStatus,
  readStatus,
  recordFailure,
} from './projection-status.js';
import { backoffSeconds } from './retry-backoff.js';
import { groupByStream, isEnvelope } from './stream-of-event.js';

/** Options of {@link projectionEntrypoint}; every binding name follows the convention unless given. */
export interface ProjectionEntrypointOptions<Env = any> {
  /** The projection's own D1 binding (checkpoints, read model); default `<NAME>_DB`. */
  readonly database?: string;
  /** Its queue's producer binding, used to carry rebuilds forward; default `<NAME>_QUEUE`. */
  readonly queue?: string;
  /** Where missing events and rebuilds are read from; default `new D1EventStore(env.ESCF_EVENTS)`. */
  readonly eventStore?: (env: Env) => EventStore;
  /** The log's last global position, for rebuild progress; default reads `escf_events` in `ESCF_EVENTS`. */
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

/** The database and projection instance of one side of a blue/green projection (or the only one). */
interface Side {
  readonly db: D1Database;
  readonly projection: object;
}

/** What a delivery did. */
export interface DeliveryReport {
  readonly applied: number;
  readonly duplicates: number;
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

/** The class {@link projectionEntrypoint} returns: queries of `P` plus the admin surface, over RPC. */
export type ProjectionEntrypointClass<P extends object, Env> = new (
  ctx: ExecutionContext,
  env: Env,
) => WorkerEntrypoint<Env> &
  ProjectionQueries<P> &
  ProjectionAdmin & { queue(batch: MessageBatch<unknown>): Promise<void> };

const QUERY_ACTIVE = Symbol('escf.queryActive');

const ADMIN = [
  'deliver',
  'status',
  'rebuild',
  'rebuildStep',
  'retryStuck',
  'queue',
  'fetch',
  'scheduled',
  'resetReadModel',
];

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
 * // another worker: env.SESSIONS: Service<InstanceType<typeof SessionsEntrypoint>>
 * const session = await env.SESSIONS.getSession(id);
 * ```
 */
export function projectionEntrypoint<P extends object, Env extends object = any>(
  projectionClass: ProjectionClass<P, Env>,
  options: ProjectionEntrypointOptions<Env> = {},
): ProjectionEntrypointClass<P, Env> {
  const descriptor = describeProjection(projectionClass);
  for (const query of descriptor.queries) {
    if (ADMIN.includes(query) && query !== 'resetReadModel') {
      throw new DefinitionError(
        `Projection '${descriptor.name}' has a method named '${query}', which its entrypoint reserves; rename it.`,
      );
    }
  }
  const databaseBinding = options.database ?? `${descriptor.bindingPrefix}_DB`;
  const queueBinding = options.queue ?? `${descriptor.bindingPrefix}_QUEUE`;
  const maxRetries = options.maxRetries ?? 3;
  const batchSize = options.rebuildBatchSize ?? 1_000;
  const standbyBinding = options.standbyDatabase;
  if (standbyBinding === databaseBinding) {
    throw new DefinitionError(
      `Projection '${descriptor.name}': standbyDatabase must name a second D1 binding, not '${databaseBinding}' again.`,
    );
  }
  const bindingOf = (role: DatabaseRole): string => (role === 'standby' ? standbyBinding! : databaseBinding);

  class Entrypoint extends WorkerEntrypoint<Env> {
    #instance: P | undefined;
    #standbyInstance: P | undefined;

    protected get projection(): P {
      return (this.#instance ??= new projectionClass(this.env));
    }

    protected get db(): D1Database {
      const db = (this.env as Record<string, unknown>)[databaseBinding] as D1Database | undefined;
      if (!db)
        throw new DefinitionError(
          `Projection '${descriptor.name}' needs the D1 binding '${databaseBinding}' (its own database).`,
        );
      return db;
    }

    protected get store(): EventStore {
      if (options.eventStore) return options.eventStore(this.env);
      const events = (this.env as Record<string, unknown>).ESCF_EVENTS as D1Database | undefined;
      if (!events)
        throw new DefinitionError(
          `Projection '${descriptor.name}' needs the D1 binding 'ESCF_EVENTS' (the event store) to fill gaps and rebuild.`,
        );
      return new D1EventStore(events);
    }

    protected applier(side: Side = this.#side('primary')): ProjectionApplier {
      return new ProjectionApplier(descriptor, side.projection, side.db, this.store);
    }

    protected rebuilder(role: DatabaseRole = 'primary'): ProjectionRebuild {
      const logHead = options.logHead ? () => options.logHead!(this.env) : () => defaultLogHead(this.env);
      const side = this.#side(role);
      // Blue/green: once caught up, the rebuild makes its database the active one.
      const beforeDone = standbyBinding
        ? (generation: number) => switchActiveDatabase(this.db, descriptor.name, role, generation)
        : undefined;
      return new ProjectionRebuild(
        descriptor,
        side.projection,
        side.db,
        this.store,
        batchSize,
        logHead,
        beforeDone,
        options.rebuildPagesPerStep,
      );
    }

    /** One side; the standby's projection instance gets an `env` whose database binding is the standby database. */
    #side(role: DatabaseRole): Side {
      if (role === 'primary') {
        const self = this;
        return {
          db: this.db,
          get projection() {
            return self.projection; // constructed only if used, as before
          },
        };
      }
      const db = (this.env as Record<string, unknown>)[standbyBinding!] as D1Database | undefined;
      if (!db)
        throw new DefinitionError(
          `Projection '${descriptor.name}' needs the D1 binding '${standbyBinding}' (its standbyDatabase).`,
        );
      this.#standbyInstance ??= new projectionClass({ ...this.env, [databaseBinding]: db } as Env);
      return { db, projection: this.#standbyInstance };
    }

    /**
     * The side queries and live deliveries use. Blue/green projections read
     * the record from the primary database on every call, never from a
     * per-isolate cache: a rebuild switches the active side and then reads
     * the log once more into the new side, which covers every delivery that
     * decided on the old side before the switch (its events were in the log
     * before it was delivered, so before the switch). A delivery that read a
     * cached record after that last read would apply to the old side only,
     * and the new model would miss its events.
     */
    async #activeSide(): Promise<Side> {
      if (!standbyBinding) return this.#side('primary');
      return this.#side((await readActiveDatabase(this.db, descriptor.name)).active);
    }

    /** The role whose rebuild a step continues: the one being rebuilt, else the active one (to finish a switched rebuild). */
    async #rebuildingRole(): Promise<DatabaseRole> {
      if (!standbyBinding) return 'primary';
      const record = await readActiveDatabase(this.db, descriptor.name);
      return record.rebuilding ?? record.active;
    }

    /** Runs a query method of the projection on the active side (symbol-keyed: not callable over RPC). */
    async [QUERY_ACTIVE](query: string, args: unknown[]): Promise<unknown> {
      const projection = (await this.#activeSide()).projection as Record<string, (...a: unknown[]) => unknown>;
      return projection[query]!.apply(projection, args);
    }

    async deliver(events: readonly EventEnvelope[]): Promise<DeliveryReport> {
      const side = await this.#activeSide();
      return deliverAll(descriptor, this.applier(side), side.db, events);
    }

    override async queue(batch: MessageBatch<unknown>): Promise<void> {
      // Read once per batch: its events were in the log before the batch began, so a switch
      // during the batch is still followed by a log read that brings them to the new side.
      const side = await this.#activeSide();
      if (options.deadLetterQueue !== undefined && batch.queue === options.deadLetterQueue) {
        for (const message of batch.messages) {
          if (isEnvelope(message.body)) await markDeadLettered(side.db, descriptor.name, message.body);
          message.ack();
        }
        return;
      }
      const events: Array<Message<EventEnvelope>> = [];
      for (const message of batch.messages) {
        if (isRebuildContinuation(message.body)) await this.continueRebuild(message as Message<RebuildContinuation>);
        else if (isEnvelope(message.body)) events.push(message as Message<EventEnvelope>);
        else message.ack(); // not ours: retrying would not make it readable
      }
      if (events.length === 0) return;
      // Many events per D1 batch; a failure stops only its own stream.
      const outcome = await applyInBatches(
        this.applier(side),
        side.db,
        descriptor.name,
        events.map((m) => m.body),
      );
      const failedAt = new Map(outcome.failures.map((f) => [f.key, f]));
      for (const [key, group] of groupByStream(events, (m) => m.body)) {
        const failure = failedAt.get(key);
        if (!failure) {
          for (const message of group) message.ack();
          continue;
        }
        // Versions before the failing one are applied; it and later versions wait (applying them would re-run it).
        const carrier = group.find((m) => m.body.version >= failure.event.version) ?? group.at(-1)!;
        await recordFailure(
          side.db,
          descriptor.name,
          failure.event,
          failure.error,
          carrier.attempts,
          carrier.attempts > maxRetries,
        );
        for (const message of group) {
          if (message.body.version < failure.event.version) message.ack();
          else message.retry({ delaySeconds: backoffSeconds(message.attempts, options.retryDelaySeconds) });
        }
      }
    }

    async status(): Promise<ProjectionStatus> {
      if (!standbyBinding) return readStatus(this.db, descriptor.name);
      const record = await readActiveDatabase(this.db, descriptor.name);
      const status = await readStatus(this.#side(record.active).db, descriptor.name);
      return {
        ...status,
        rebuild: record.rebuilding ? await this.rebuilder(record.rebuilding).status() : status.rebuild,
        databases: { active: bindingOf(record.active), rebuilding: record.rebuilding && bindingOf(record.rebuilding) },
      };
    }

    async rebuild(): Promise<RebuildStatus> {
      let status: RebuildStatus;
      if (standbyBinding) {
        // Blue/green: empty and refill the inactive side; its generation is the ticket that may switch.
        const { target, ticket } = await beginRebuild(this.db, descriptor.name);
        status = await this.rebuilder(target).start(ticket);
      } else {
        status = await this.rebuilder().start();
      }
      const queue = (this.env as Record<string, unknown>)[queueBinding] as Queue<RebuildContinuation> | undefined;
      if (queue) {
        // The first step starts now, not after a queue hop; the watchdog resumes the rebuild if this invocation dies.
        await queue.send(continuation(descriptor, status, true), { delaySeconds: REBUILD_WATCHDOG_SECONDS });
        this.ctx.waitUntil(this.#runRebuildStep({ generation: status.generation, cursor: status.cursor }));
      }
      return status;
    }

    /** Runs one step and hands the rest to a continuation message. */
    async #runRebuildStep(expected?: { generation: number; cursor: number }): Promise<void> {
      try {
        const { status, more } = await this.rebuilder(await this.#rebuildingRole()).step(expected);
        if (more && status) {
          const queue = (this.env as Record<string, unknown>)[queueBinding] as Queue<RebuildContinuation>;
          await queue.send(continuation(descriptor, status));
        }
      } catch (error) {
        // The queue retries it from the saved cursor, with backoff (and the watchdog, should that fail too).
        log({
          level: 'warn',
          message: 'projection rebuild step failed; retrying',
          code: serializeError(error).code,
          projection: descriptor.name,
          error,
        });
        const status = await this.rebuilder(await this.#rebuildingRole()).status();
        const queue = (this.env as Record<string, unknown>)[queueBinding] as Queue<RebuildContinuation>;
        if (status?.status === 'running')
          await queue.send(continuation(descriptor, status), {
            delaySeconds: backoffSeconds(1, options.retryDelaySeconds),
          });
      }
    }

    async rebuildStep(): Promise<RebuildStatus | null> {
      return (await this.rebuilder(await this.#rebuildingRole()).step()).status;
    }

    async retryStuck(): Promise<DeliveryReport> {
      const side = await this.#activeSide();
      const status = await readStatus(side.db, descriptor.name);
      const store = this.store;
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
      return deliverAll(descriptor, this.applier(side), side.db, events);
    }

    private async continueRebuild(message: Message<RebuildContinuation>): Promise<void> {
      try {
        const { generation, cursor, watchdog } = message.body.escfRebuild;
        const queue = (this.env as Record<string, unknown>)[queueBinding] as Queue<RebuildContinuation>;
        const rebuilder = this.rebuilder(await this.#rebuildingRole());
        let expected: { generation: number; cursor: number } | undefined = { generation, cursor };
        if (watchdog) {
          const current = await rebuilder.status();
          if (current?.status !== 'running' || current.generation !== generation) return message.ack();
          if (Date.now() - current.updatedAt < REBUILD_WATCHDOG_SECONDS * 1000) {
            // Still moving: keep watching.
            await queue.send(continuation(descriptor, current, true), { delaySeconds: REBUILD_WATCHDOG_SECONDS });
            return message.ack();
          }
          expected = { generation, cursor: current.cursor }; // stalled: take over from where it stopped
          await queue.send(continuation(descriptor, current, true), { delaySeconds: REBUILD_WATCHDOG_SECONDS });
        }
        const { status, more } = await rebuilder.step(expected);
        if (more && status) await queue.send(continuation(descriptor, status));
        message.ack();
      } catch (error) {
        log({
          level: 'warn',
          message: 'projection rebuild step failed; retrying',
          code: serializeError(error).code,
          projection: descriptor.name,
          attempt: message.attempts,
          error,
        });
        message.retry({ delaySeconds: backoffSeconds(message.attempts, options.retryDelaySeconds) });
      }
    }
  }

  // The projection's queries become RPC methods of the entrypoint.
  for (const query of descriptor.queries) {
    if (query === 'resetReadModel') continue;
    Object.defineProperty(Entrypoint.prototype, query, {
      value: standbyBinding
        ? function (this: Entrypoint, ...args: unknown[]) {
            return this[QUERY_ACTIVE](query, args);
          }
        : function (this: Entrypoint, ...args: unknown[]) {
            const projection = this.projection as Record<string, (...a: unknown[]) => unknown>;
            return projection[query]!.apply(projection, args);
          },
      writable: true,
      configurable: true,
    });
  }
  Object.defineProperty(Entrypoint, 'name', { value: `${descriptor.bindingPrefix}_Projection` });
  return Entrypoint as unknown as ProjectionEntrypointClass<P, Env>;
}

/** Applies events in batches across streams; one failing stream does not stop the others. */
async function deliverAll(
  descriptor: ProjectionDescriptor,
  applier: ProjectionApplier,
  db: D1Database,
  events: readonly EventEnvelope[],
): Promise<DeliveryReport> {
  const { applied, duplicates, failures } = await applyInBatches(applier, db, descriptor.name, events);
  for (const failure of failures) await recordFailure(db, descriptor.name, failure.event, failure.error, 0, false);
  if (failures.length > 0) throw failures[0]!.error;
  return { applied, duplicates };
}

function continuation(descriptor: ProjectionDescriptor, status: RebuildStatus, watchdog = false): RebuildContinuation {
  return {
    escfRebuild: {
      projection: descriptor.name,
      generation: status.generation,
      cursor: status.cursor,
      ...(watchdog ? { watchdog } : {}),
    },
  };
}

async function defaultLogHead(env: object): Promise<number | null> {
  const events = (env as Record<string, unknown>).ESCF_EVENTS as D1Database | undefined;
  if (!events) return null;
  try {
    return await new EventsTable(events).logHead();
  } catch {
    return null; // a different store layout: progress without a target
  }
}
