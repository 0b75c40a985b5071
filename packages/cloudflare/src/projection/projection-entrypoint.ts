import { WorkerEntrypoint } from 'cloudflare:workers';
import {
  DefinitionError,
  describeProjection,
  type EventEnvelope,
  type EventStore,
  type ProjectionClass,
  type ProjectionDescriptor,
  type ProjectionQueries,
} from '@escf/core';
import { D1EventStore } from '../d1-event-store.js';
import { ProjectionApplier } from './projection-applier.js';
import { ProjectionRebuild, isRebuildContinuation, type RebuildContinuation } from './projection-rebuild.js';
import { markDeadLettered, readStatus, recordFailure, type ProjectionStatus, type RebuildStatus } from './projection-status.js';
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
  /** Events per rebuild step (default 200). */
  readonly rebuildBatchSize?: number;
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
) => WorkerEntrypoint<Env> & ProjectionQueries<P> & ProjectionAdmin & { queue(batch: MessageBatch<unknown>): Promise<void> };

const ADMIN = ['deliver', 'status', 'rebuild', 'rebuildStep', 'retryStuck', 'queue', 'fetch', 'scheduled', 'resetReadModel'];

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
      throw new DefinitionError(`Projection '${descriptor.name}' has a method named '${query}', which its entrypoint reserves; rename it.`);
    }
  }
  const databaseBinding = options.database ?? `${descriptor.bindingPrefix}_DB`;
  const queueBinding = options.queue ?? `${descriptor.bindingPrefix}_QUEUE`;
  const maxRetries = options.maxRetries ?? 3;
  const batchSize = options.rebuildBatchSize ?? 200;

  class Entrypoint extends WorkerEntrypoint<Env> {
    #instance: P | undefined;

    protected get projection(): P {
      return (this.#instance ??= new projectionClass(this.env));
    }

    protected get db(): D1Database {
      const db = (this.env as Record<string, unknown>)[databaseBinding] as D1Database | undefined;
      if (!db) throw new DefinitionError(`Projection '${descriptor.name}' needs the D1 binding '${databaseBinding}' (its own database).`);
      return db;
    }

    protected get store(): EventStore {
      if (options.eventStore) return options.eventStore(this.env);
      const events = (this.env as Record<string, unknown>).ESCF_EVENTS as D1Database | undefined;
      if (!events) throw new DefinitionError(`Projection '${descriptor.name}' needs the D1 binding 'ESCF_EVENTS' (the event store) to fill gaps and rebuild.`);
      return new D1EventStore(events);
    }

    protected applier(): ProjectionApplier {
      return new ProjectionApplier(descriptor, this.projection, this.db, this.store);
    }

    protected rebuilder(): ProjectionRebuild {
      const logHead = options.logHead ? () => options.logHead!(this.env) : () => defaultLogHead(this.env);
      return new ProjectionRebuild(descriptor, this.projection, this.db, this.store, batchSize, logHead);
    }

    async deliver(events: readonly EventEnvelope[]): Promise<DeliveryReport> {
      return deliverAll(descriptor, this.applier(), this.db, events);
    }

    override async queue(batch: MessageBatch<unknown>): Promise<void> {
      if (options.deadLetterQueue !== undefined && batch.queue === options.deadLetterQueue) {
        for (const message of batch.messages) {
          if (isEnvelope(message.body)) await markDeadLettered(this.db, descriptor.name, message.body);
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
      const applier = this.applier();
      for (const group of groupByStream(events, (m) => m.body).values()) {
        let stuck = false;
        for (const message of group) {
          // Later versions of a stuck stream wait: applying them would re-run the failing one.
          if (stuck) {
            message.retry({ delaySeconds: backoffSeconds(message.attempts, options.retryDelaySeconds) });
            continue;
          }
          try {
            await applier.apply(message.body);
            message.ack();
          } catch (error) {
            stuck = true;
            await recordFailure(this.db, descriptor.name, message.body, error, message.attempts, message.attempts > maxRetries);
            message.retry({ delaySeconds: backoffSeconds(message.attempts, options.retryDelaySeconds) });
          }
        }
      }
    }

    async status(): Promise<ProjectionStatus> {
      return readStatus(this.db, descriptor.name);
    }

    async rebuild(): Promise<RebuildStatus> {
      const status = await this.rebuilder().start();
      const queue = (this.env as Record<string, unknown>)[queueBinding] as Queue<RebuildContinuation> | undefined;
      if (queue) await queue.send(continuation(descriptor, status));
      return status;
    }

    async rebuildStep(): Promise<RebuildStatus | null> {
      return (await this.rebuilder().step()).status;
    }

    async retryStuck(): Promise<DeliveryReport> {
      const status = await this.status();
      const store = this.store;
      const events: EventEnvelope[] = [];
      for (const stuck of status.stuck) {
        const [tenantId, aggregateType, ...rest] = stuck.stream.split('/');
        // The key's tenant is URI-encoded (see core's streamKey); the id may contain '/'.
        const stream = { aggregateType: aggregateType!, aggregateId: rest.join('/'), ...(tenantId ? { tenantId: decodeURIComponent(tenantId) } : {}) };
        events.push(...(await store.readStream(stream, { fromVersion: stuck.version })));
      }
      return deliverAll(descriptor, this.applier(), this.db, events);
    }

    private async continueRebuild(message: Message<RebuildContinuation>): Promise<void> {
      try {
        const { generation, cursor } = message.body.escfRebuild;
        const { status, more } = await this.rebuilder().step({ generation, cursor });
        if (more && status) {
          const queue = (this.env as Record<string, unknown>)[queueBinding] as Queue<RebuildContinuation>;
          await queue.send(continuation(descriptor, status));
        }
        message.ack();
      } catch (error) {
        console.error(`Projection '${descriptor.name}': rebuild step failed, will retry`, error);
        message.retry({ delaySeconds: backoffSeconds(message.attempts, options.retryDelaySeconds) });
      }
    }
  }

  // The projection's queries become RPC methods of the entrypoint.
  for (const query of descriptor.queries) {
    if (query === 'resetReadModel') continue;
    Object.defineProperty(Entrypoint.prototype, query, {
      value: function (this: Entrypoint, ...args: unknown[]) {
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

/** Applies events stream by stream; one failing stream does not stop the others. */
async function deliverAll(
  descriptor: ProjectionDescriptor,
  applier: ProjectionApplier,
  db: D1Database,
  events: readonly EventEnvelope[],
): Promise<DeliveryReport> {
  let applied = 0;
  let duplicates = 0;
  const failures: unknown[] = [];
  for (const group of groupByStream(events, (e) => e).values()) {
    for (const event of group) {
      try {
        if ((await applier.apply(event)) === 'applied') applied++;
        else duplicates++;
      } catch (error) {
        await recordFailure(db, descriptor.name, event, error, 0, false);
        failures.push(error);
        break;
      }
    }
  }
  if (failures.length > 0) throw failures[0];
  return { applied, duplicates };
}

function continuation(descriptor: ProjectionDescriptor, status: RebuildStatus): RebuildContinuation {
  return { escfRebuild: { projection: descriptor.name, generation: status.generation, cursor: status.cursor } };
}

async function defaultLogHead(env: object): Promise<number | null> {
  const events = (env as Record<string, unknown>).ESCF_EVENTS as D1Database | undefined;
  if (!events) return null;
  try {
    const row = await events.prepare('SELECT MAX(position + event_count - 1) AS head FROM escf_events').first<{ head: number | null }>();
    return row?.head ?? 0;
  } catch {
    return null; // a different store layout: progress without a target
  }
}

