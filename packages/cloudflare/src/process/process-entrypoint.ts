import { WorkerEntrypoint } from 'cloudflare:workers';
import {
  type Clock,
  type CommandSender,
  DefinitionError,
  EscfError,
  type EventEnvelope,
  type ProcessHandlerContext,
  processCommandsFor,
  systemClock,
} from '@escf/core';
import {
  describeProcess,
  EscfAttribute,
  EVENT_STORE_BINDING,
  log,
  newId,
  reactorBindings,
  SpanKind,
  serializeError,
} from '@escf/core/internal';
import type { EventStore } from '@escf/core/store';
import { Upcaster } from '@escf/core/upcast';
import { backoffSeconds } from '../delivery/retry-backoff.js';
import { markStreamDeadLettered, streamOfKey } from '../delivery/stream-failures.js';
import { groupByStream, isEnvelope } from '../delivery/stream-of-event.js';
import { D1EventStore } from '../event-store/d1-event-store.js';
import { errorJson, errorResponse } from '../http/error-response.js';
import { eventBatchSpan, eventSpan } from '../observability/event-spans.js';
import { forEachConcurrently } from '../projection/concurrently.js';
import { ProcessEventBusyError } from './process-claim.js';
import { ProcessDelivery, type ProcessDeliveryReport, type ProcessOrdering } from './process-delivery.js';
import { ensureProcessSchema, PROCESS_FAILURES } from './process-schema.js';
import { type ProcessStatus, readProcessStatus } from './process-status.js';
import { type ProcessSweepOptions, type SweepReport, sweepLog } from './process-sweep.js';

/** Streams of one queue batch handled at the same time (a bound on concurrent D1 calls and effects). */
const STREAMS_IN_PARALLEL = 8;

export type { ProcessDeliveryReport, ProcessOrdering } from './process-delivery.js';
export type { ProcessSweepOptions, SweepReport } from './process-sweep.js';

/** Options of {@link processEntrypoint}. */
export interface ProcessEntrypointOptions<Env = any, Effects = unknown> {
  /** Builds the effects handlers receive (email, payment APIs, workflow starters…), once per invocation. */
  readonly effects?: (env: Env, ctx: ExecutionContext) => Effects;
  /** How commands reach aggregates (e.g. the Durable Object clients of the runtime). */
  readonly commands?: (env: Env) => CommandSender;
  /**
   * D1 binding where handled event ids are kept; default `<NAME>_DB` when
   * bound. Without it, redelivered events run again (commands stay
   * idempotent through their keys; other effects must be idempotent).
   */
  readonly database?: string;
  /** First retry delay in seconds (doubled per attempt, up to 5 minutes); default 2. */
  readonly retryDelaySeconds?: number;
  /**
   * How long a delivery may hold an event before another may handle it, in
   * ms; default 60 s. After a crash mid-handler, the event runs again once
   * the lease expires, so effects are at least once across crashes.
   */
  readonly claimLeaseMs?: number;
  /**
   * `'stream'`: events of one aggregate stream are handled in version order,
   * with a checkpoint per stream (needs the database): an event ahead of it
   * first pulls the missing versions from the event store, so an event whose
   * queue message was lost is still handled (once), and a failing event stops
   * its stream until it succeeds (later versions wait), as in projections.
   * Default `'none'`: events are handled as they arrive, each once by id.
   */
  readonly ordering?: ProcessOrdering;
  /** Where missing events, retries and re-drives are read from; default `new D1EventStore(env.ESCF_EVENTS)`. */
  readonly eventStore?: (env: Env) => EventStore;
  /** Must equal the consumer's `max_retries` in wrangler config (default 3): the last attempt is reported as dead-lettered. */
  readonly maxRetries?: number;
  /** Name of the dead-letter queue, when this worker also consumes it: its messages mark the stream as dead-lettered. */
  readonly deadLetterQueue?: string;
  /** The clock claims, leases and failures are stamped with; default the system clock. */
  readonly clock?: Clock;
  /**
   * The log sweep that heals lost deliveries (needs the process's database
   * and the event store): queue batches and direct deliveries start it in
   * the background at most once per `intervalMs`, `scheduled` runs it on
   * every cron trigger, `sweep()` on demand. It hands events of the types
   * the process handles, older than `graceMs`, that it has not handled to
   * the process — once, by event id. `false` turns the automatic sweep off.
   */
  readonly sweep?: ProcessSweepOptions | false;
}

/** The range of the log {@link ProcessAdmin.redrive} reads: global positions, both inclusive. */
export interface RedriveRange {
  readonly fromPosition: number;
  /** Default: the head of the log. */
  readonly toPosition?: number;
}

/** What a re-drive did: events read from the log, handled now, already handled, busy (another delivery has them), failed (then stuck). */
export interface RedriveReport extends ProcessDeliveryReport {
  readonly read: number;
  readonly failed: number;
  /** The last position read; call again from the next one while `more` is true. */
  readonly lastPosition: number;
  readonly more: boolean;
}

/** The delivery and operator surface of a process entrypoint (the projection vocabulary). */
export interface ProcessAdmin {
  /**
   * Direct RPC delivery of events. Events another delivery is handling right
   * now are reported as `busy` (deliver them again later), not thrown.
   * Throws the first failure; other streams are handled.
   */
  deliver(events: readonly EventEnvelope[]): Promise<ProcessDeliveryReport>;
  /** Checkpoints (ordered processes) and stuck streams. */
  status(): Promise<ProcessStatus>;
  /** Hands every stuck stream's events, from its failing version to the head of its stream, to the process again (after fixing the cause). */
  retryStuck(): Promise<ProcessDeliveryReport>;
  /**
   * Re-drives the process over a range of the D1 log: every event in it is
   * handed to the process, and those it already handled are skipped by event
   * id, so effects run once. Heals events whose delivery was lost. Reads at
   * most `limit` events (default 500) per call.
   */
  redrive(range: RedriveRange, limit?: number): Promise<RedriveReport>;
  /**
   * Sweeps the log from the sweep position now (what queue batches, direct
   * deliveries and cron triggers do on their own): events of handled types
   * older than the grace period that the process has not handled are
   * handled, once.
   */
  sweep(): Promise<SweepReport>;
}

/** The class {@link processEntrypoint} returns. */
export type ProcessEntrypointClass<Env> = new (
  ctx: ExecutionContext,
  env: Env,
) => WorkerEntrypoint<Env> &
  ProcessAdmin & {
    queue(batch: MessageBatch<unknown>): Promise<void>;
    fetch(request: Request): Promise<Response>;
    scheduled(controller: ScheduledController): Promise<void>;
  };

/**
 * Turns a `@Process` class into a `WorkerEntrypoint`: events arrive on its
 * queue or by `deliver`, `@OnQueue` methods get other queues' messages,
 * `@OnHttp` methods serve `fetch`, `@OnCron` methods run on `scheduled`.
 *
 * Each event is handled once per event id (when the process has a D1
 * database); commands issued through `context.commands` carry the event's
 * correlation id, the event id as causation id and an idempotency key
 * derived from it. Processes are never driven by projection rebuilds, so
 * replaying the log never runs their effects.
 *
 * Like projections: failing messages are retried with backoff and recorded
 * as stuck streams (`status()`), the dead-letter queue is consumed
 * (`deadLetterQueue`), `retryStuck()` and `redrive(range)` hand events to the
 * process again (handled ones are skipped by id), and `ordering: 'stream'`
 * adds per-stream order, checkpoints and gap fill from the D1 log.
 *
 * @example
 * ```ts
 * export default processEntrypoint(SendEmailVerification, {
 *   effects: (env) => ({ sendEmailVerification: (to, token) => env.EMAIL.send(…) }),
 *   commands: (env) => aggregateCommandSender(env, [{ aggregate: User, binding: 'USER_AGGREGATE' }]),
 * });
 * ```
 */
export function processEntrypoint<P extends object, Env extends object = any, Effects = unknown>(
  processClass: new (env: Env) => P,
  options: ProcessEntrypointOptions<Env, Effects> = {},
): ProcessEntrypointClass<Env> {
  const descriptor = describeProcess(processClass);
  const upcaster = new Upcaster(descriptor.events);
  const databaseBinding = options.database ?? reactorBindings(descriptor.bindingPrefix).database;
  const className = processClass.name || descriptor.name;
  const claimLeaseMs = options.claimLeaseMs ?? 60_000;
  const ordering = options.ordering ?? 'none';
  const maxRetries = options.maxRetries ?? 3;
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const sweepOptions = options.sweep === false ? undefined : (options.sweep ?? {});
  const sweepIntervalMs = sweepOptions?.intervalMs ?? 10_000;
  // Per isolate: one background sweep at a time, at most one per interval.
  let lastSweepAt = 0;
  let sweeping: Promise<unknown> | null = null;

  class Entrypoint extends WorkerEntrypoint<Env> {
    #instance: P | undefined;
    #effects: Effects | undefined;

    protected get process(): P {
      return (this.#instance ??= new processClass(this.env));
    }

    protected get db(): D1Database | undefined {
      return (this.env as Record<string, unknown>)[databaseBinding] as D1Database | undefined;
    }

    protected context(trigger: Pick<EventEnvelope, 'id' | 'metadata'>): ProcessHandlerContext<Effects, Env> {
      const sender: CommandSender =
        options.commands?.(this.env) ??
        (() => {
          throw new DefinitionError(
            `Process '${descriptor.name}' issued a command but processEntrypoint(…, { commands }) was not given.`,
          );
        });
      this.#effects ??= options.effects ? options.effects(this.env, this.ctx) : (undefined as Effects);
      return { effects: this.#effects, commands: processCommandsFor(sender, descriptor.name, trigger), env: this.env };
    }

    protected get store(): EventStore {
      if (options.eventStore) return options.eventStore(this.env);
      const events = (this.env as Record<string, unknown>)[EVENT_STORE_BINDING] as D1Database | undefined;
      if (!events)
        throw new DefinitionError(
          `Process '${descriptor.name}' needs the D1 binding '${EVENT_STORE_BINDING}' (the event store) to fill gaps, retry and re-drive.`,
        );
      return new D1EventStore(events);
    }

    protected delivery(): ProcessDelivery {
      if (ordering === 'stream' && !this.db) {
        throw new DefinitionError(
          `Process '${descriptor.name}' has ordering: 'stream', which needs the D1 binding '${databaseBinding}' for its checkpoints.`,
        );
      }
      return new ProcessDelivery(
        descriptor,
        upcaster,
        this.db,
        () => this.store,
        ordering,
        claimLeaseMs,
        now,
        (member, envelope, trigger) => this.#call(member, envelope, this.context(trigger)),
      );
    }

    async deliver(events: readonly EventEnvelope[]): Promise<ProcessDeliveryReport> {
      const report = await eventBatchSpan(
        `escf.process.handle ${descriptor.name}`,
        events,
        () => ({ [EscfAttribute.process]: descriptor.name, 'messaging.operation.name': 'deliver' }),
        SpanKind.SERVER,
        () => this.delivery().deliverAll(events),
        this.ctx,
      );
      this.sweepInBackground();
      return report;
    }

    async sweep(): Promise<SweepReport> {
      const db = this.db;
      if (!db)
        throw new DefinitionError(
          `Process '${descriptor.name}' sweeps the log only with its D1 database '${databaseBinding}' (where handled events are kept).`,
        );
      await ensureProcessSchema(db);
      const delivery = this.delivery();
      const report = await sweepLog(
        {
          process: descriptor.name,
          db,
          store: this.store,
          handle: (event) => delivery.handle(event),
          recordFailure: (event, error) => delivery.recordFailure(event, error, 0, false),
          wants: (event) => delivery.wants(event),
          now,
        },
        sweepOptions,
      );
      if (report.handled > 0 || report.failed > 0)
        log({
          level: report.failed > 0 ? 'warn' : 'info',
          message: 'process log sweep handled events whose delivery was lost',
          process: descriptor.name,
          handled: report.handled,
          failed: report.failed,
          position: report.position,
          ...(report.shards ? { shards: report.shards } : {}),
        });
      return report;
    }

    /** Starts a sweep after the response (queue batch, delivery) when one is due; never fails the caller. */
    protected sweepInBackground(): void {
      if (!sweepOptions || !this.db || sweeping || now() - lastSweepAt < sweepIntervalMs) return;
      if (!options.eventStore && !(this.env as Record<string, unknown>).ESCF_EVENTS) return;
      lastSweepAt = now();
      sweeping = this.sweep()
        .catch((error) =>
          log({
            level: 'warn',
            message: 'process log sweep failed; the next one goes on',
            code: serializeError(error).code,
            process: descriptor.name,
            error,
          }),
        )
        .finally(() => {
          sweeping = null;
        });
      this.ctx.waitUntil(sweeping);
    }

    override async queue(batch: MessageBatch<unknown>): Promise<void> {
      if (options.deadLetterQueue !== undefined && batch.queue === options.deadLetterQueue) {
        const db = this.db;
        for (const message of batch.messages) {
          if (db && isEnvelope(message.body)) {
            await ensureProcessSchema(db);
            await markStreamDeadLettered(db, PROCESS_FAILURES, descriptor.name, message.body, now());
          }
          message.ack();
        }
        return;
      }
      const trigger = descriptor.triggers.find((t) => t.trigger.kind === 'queue' && t.trigger.queue === batch.queue);
      const events: Array<Message<EventEnvelope>> = [];
      for (const message of batch.messages) {
        if (!trigger) {
          if (isEnvelope(message.body)) events.push(message as Message<EventEnvelope>);
          else message.ack(); // not ours: retrying would not make it readable
          continue;
        }
        try {
          const id = message.id;
          await this.#call(
            trigger.member,
            message.body,
            this.context({ id, metadata: { correlationId: id, causationId: id } }),
          );
          message.ack();
        } catch (error) {
          log({
            level: 'warn',
            message: 'process failed on a message; retrying',
            code: serializeError(error).code,
            process: descriptor.name,
            queue: batch.queue,
            attempt: message.attempts,
            error,
          });
          message.retry({ delaySeconds: backoffSeconds(message.attempts, options.retryDelaySeconds) });
        }
      }
      const delivery = this.delivery();
      // Streams are independent: handle them side by side (each stream's messages stay in order), so a
      // batch costs about its longest stream's D1 round trips rather than the sum over all its messages.
      await forEachConcurrently(
        [...groupByStream(events, (m) => m.body).values()],
        STREAMS_IN_PARALLEL,
        async (group) => {
          let stuck = false;
          for (const message of group) {
            // Ordered: later versions of a stuck stream wait, as in projections.
            if (stuck) {
              message.retry({ delaySeconds: backoffSeconds(message.attempts, options.retryDelaySeconds) });
              continue;
            }
            try {
              // Another delivery is handling this event right now: look again later.
              const outcome = await eventSpan(
                `escf.process.handle ${descriptor.name}`,
                message.body,
                () => ({
                  [EscfAttribute.process]: descriptor.name,
                  [EscfAttribute.attempt]: message.attempts,
                  'messaging.operation.name': 'process',
                  'messaging.destination.name': batch.queue,
                }),
                SpanKind.CONSUMER,
                () => delivery.handle(message.body),
                this.ctx,
              );
              if (outcome === 'busy') throw ProcessEventBusyError.of(descriptor.name, message.body.id);
              message.ack();
            } catch (error) {
              if (!(error instanceof ProcessEventBusyError)) {
                log({
                  level: 'warn',
                  message: 'process failed on a message; retrying',
                  code: serializeError(error).code,
                  process: descriptor.name,
                  queue: batch.queue,
                  eventId: message.body.id,
                  eventType: message.body.type,
                  attempt: message.attempts,
                  error,
                });
                await delivery.recordFailure(message.body, error, message.attempts, message.attempts > maxRetries);
                stuck = ordering === 'stream';
              }
              message.retry({ delaySeconds: backoffSeconds(message.attempts, options.retryDelaySeconds) });
            }
          }
        },
      );
      if (events.length > 0) this.sweepInBackground();
    }

    async status(): Promise<ProcessStatus> {
      const db = this.db;
      if (!db) return { name: descriptor.name, ordering, position: 0, streams: 0, stuck: [], swept: null };
      return readProcessStatus(db, descriptor.name, ordering);
    }

    async retryStuck(): Promise<ProcessDeliveryReport> {
      const { stuck } = await this.status();
      const store = this.store;
      const events: EventEnvelope[] = [];
      for (const entry of stuck) {
        // Ordered: the stream from its failing version on; otherwise the failing event alone.
        const limit = ordering === 'stream' ? undefined : 1;
        events.push(
          ...(await store.readStream(streamOfKey(entry.stream), {
            fromVersion: entry.version,
            ...(limit ? { limit } : {}),
          })),
        );
      }
      return this.delivery().deliverAll(events);
    }

    async redrive(range: RedriveRange, limit = 500): Promise<RedriveReport> {
      const to = range.toPosition ?? Number.MAX_SAFE_INTEGER;
      const batch = (await this.store.readAll({ after: Math.max(0, range.fromPosition - 1), limit })).filter(
        (e) => (e.position ?? 0) <= to,
      );
      const delivery = this.delivery();
      let handled = 0;
      let duplicates = 0;
      let busy = 0;
      let failed = 0;
      for (const group of groupByStream(batch, (e) => e).values()) {
        for (const event of group) {
          try {
            const outcome = await delivery.handle(event);
            if (outcome === 'busy') {
              busy++;
              if (ordering === 'stream') break;
            } else if (outcome === 'handled') handled++;
            else if (outcome === 'duplicate') duplicates++;
          } catch (error) {
            failed++;
            await delivery.recordFailure(event, error, 0, false);
            if (ordering === 'stream') break;
          }
        }
      }
      const lastPosition = batch.reduce((max, e) => Math.max(max, e.position ?? 0), range.fromPosition - 1);
      return {
        read: batch.length,
        handled,
        duplicates,
        busy,
        failed,
        lastPosition,
        more: batch.length === limit && lastPosition < to,
      };
    }

    override async fetch(request: Request): Promise<Response> {
      const url = new URL(request.url);
      const route = descriptor.triggers.find(
        ({ trigger }) =>
          trigger.kind === 'http' &&
          (trigger.method === request.method || trigger.method === '*') &&
          (trigger.path.endsWith('*')
            ? url.pathname.startsWith(trigger.path.slice(0, -1))
            : url.pathname === trigger.path),
      );
      if (!route) return errorJson(404, 'NOT_FOUND', `No route for ${request.method} ${url.pathname}`);
      // A client's idempotency key makes its retried request issue the same commands.
      const id = request.headers.get('idempotency-key') ?? newId();
      const correlationId = request.headers.get('x-correlation-id') ?? id;
      let result: unknown;
      try {
        result = await this.#call(
          route.member,
          request,
          this.context({ id, metadata: { correlationId, causationId: id } }),
        );
      } catch (error) {
        // A refused command is an answer with its code; anything else is a 500 without internals.
        if (!(error instanceof EscfError))
          log({ level: 'error', message: 'process HTTP trigger failed', process: descriptor.name, error });
        return errorResponse(error);
      }
      return result instanceof Response ? result : Response.json(result ?? null);
    }

    override async scheduled(controller: ScheduledController): Promise<void> {
      const jobs = descriptor.triggers.filter(
        ({ trigger }) => trigger.kind === 'cron' && trigger.cron === controller.cron,
      );
      // One id per schedule slot: a re-run of the same slot issues the same commands.
      const id = `${controller.cron}@${controller.scheduledTime}`;
      for (const job of jobs)
        await this.#call(
          job.member,
          controller,
          this.context({ id, metadata: { correlationId: id, causationId: id } }),
        );
      // Any cron trigger of the worker also sweeps the log: it heals lost deliveries when no traffic would.
      if (sweepOptions && this.db && (options.eventStore || (this.env as Record<string, unknown>).ESCF_EVENTS))
        await this.sweep();
    }

    async #call(
      member: string | symbol,
      input: unknown,
      context: ProcessHandlerContext<Effects, Env>,
    ): Promise<unknown> {
      const method = (this.process as Record<string | symbol, (input: unknown, context: unknown) => unknown>)[member];
      if (typeof method !== 'function') throw new DefinitionError(`${className}.${String(member)} is not a method.`);
      return method.call(this.process, input, context);
    }
  }
  Object.defineProperty(Entrypoint, 'name', { value: `${descriptor.bindingPrefix}_Process` });
  return Entrypoint as unknown as ProcessEntrypointClass<Env>;
}
