import { WorkerEntrypoint } from 'cloudflare:workers';
import {
  DefinitionError,
  processCommandsFor,
  type CommandSender,
  type EventEnvelope,
  type ProcessHandlerContext,
} from '@escf/core';
import { Upcaster } from '@escf/core/upcast';
import { describeProcess, newId } from '@escf/core/internal';
import { backoffSeconds } from '../projection/retry-backoff.js';
import { groupByStream, isEnvelope } from '../projection/stream-of-event.js';
import { claimEvent, ProcessEventBusyError } from './process-claim.js';
import { ensureProcessSchema } from './process-schema.js';

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
}

/** What a process delivery did. */
export interface ProcessDeliveryReport {
  readonly handled: number;
  readonly duplicates: number;
}

/** The class {@link processEntrypoint} returns. */
export type ProcessEntrypointClass<Env> = new (
  ctx: ExecutionContext,
  env: Env,
) => WorkerEntrypoint<Env> & {
  /** Direct RPC delivery of events. */
  deliver(events: readonly EventEnvelope[]): Promise<ProcessDeliveryReport>;
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
 * @example
 * ```ts
 * export default processEntrypoint(SendEmailVerification, {
 *   effects: (env) => ({ sendEmailVerification: (to, token) => env.EMAIL.send(…) }),
 *   commands: (env) => aggregateSender(env),
 * });
 * ```
 */
export function processEntrypoint<P extends object, Env extends object = any, Effects = unknown>(
  processClass: new (env: Env) => P,
  options: ProcessEntrypointOptions<Env, Effects> = {},
): ProcessEntrypointClass<Env> {
  const descriptor = describeProcess(processClass);
  const upcaster = new Upcaster(descriptor.events);
  const databaseBinding = options.database ?? `${descriptor.bindingPrefix}_DB`;
  const className = processClass.name || descriptor.name;
  const claimLeaseMs = options.claimLeaseMs ?? 60_000;

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
          throw new DefinitionError(`Process '${descriptor.name}' issued a command but processEntrypoint(…, { commands }) was not given.`);
        });
      this.#effects ??= options.effects ? options.effects(this.env, this.ctx) : (undefined as Effects);
      return { effects: this.#effects, commands: processCommandsFor(sender, descriptor.name, trigger), env: this.env };
    }

    async deliver(events: readonly EventEnvelope[]): Promise<ProcessDeliveryReport> {
      let handled = 0;
      let duplicates = 0;
      for (const group of groupByStream(events, (e) => e).values()) {
        for (const event of group) {
          const outcome = await this.handle(event);
          if (outcome === 'busy') throw new ProcessEventBusyError(descriptor.name, event.id);
          if (outcome === 'handled') handled++;
          else duplicates++;
        }
      }
      return { handled, duplicates };
    }

    override async queue(batch: MessageBatch<unknown>): Promise<void> {
      const trigger = descriptor.triggers.find((t) => t.trigger.kind === 'queue' && t.trigger.queue === batch.queue);
      for (const message of batch.messages) {
        try {
          if (trigger) {
            const id = message.id;
            await this.call(trigger.member, message.body, this.context({ id, metadata: { correlationId: id, causationId: id } }));
          } else if (isEnvelope(message.body)) {
            // Another delivery is handling this event right now: look again later.
            if ((await this.handle(message.body)) === 'busy') throw new ProcessEventBusyError(descriptor.name, message.body.id);
          }
          message.ack();
        } catch (error) {
          console.error(`Process '${descriptor.name}' failed on a message of ${batch.queue}; retrying`, error);
          message.retry({ delaySeconds: backoffSeconds(message.attempts, options.retryDelaySeconds) });
        }
      }
    }

    override async fetch(request: Request): Promise<Response> {
      const url = new URL(request.url);
      const route = descriptor.triggers.find(
        ({ trigger }) =>
          trigger.kind === 'http' &&
          (trigger.method === request.method || trigger.method === '*') &&
          (trigger.path.endsWith('*') ? url.pathname.startsWith(trigger.path.slice(0, -1)) : url.pathname === trigger.path),
      );
      if (!route) return Response.json({ code: 'NOT_FOUND', message: `No route for ${request.method} ${url.pathname}` }, { status: 404 });
      // A client's idempotency key makes its retried request issue the same commands.
      const id = request.headers.get('idempotency-key') ?? newId();
      const correlationId = request.headers.get('x-correlation-id') ?? id;
      const result = await this.call(route.member, request, this.context({ id, metadata: { correlationId, causationId: id } }));
      return result instanceof Response ? result : Response.json(result ?? null);
    }

    override async scheduled(controller: ScheduledController): Promise<void> {
      const jobs = descriptor.triggers.filter(({ trigger }) => trigger.kind === 'cron' && trigger.cron === controller.cron);
      // One id per schedule slot: a re-run of the same slot issues the same commands.
      const id = `${controller.cron}@${controller.scheduledTime}`;
      for (const job of jobs) await this.call(job.member, controller, this.context({ id, metadata: { correlationId: id, causationId: id } }));
    }

    /**
     * Runs the handlers of one event unless it was handled before (`'duplicate'`)
     * or another delivery is handling it right now (`'busy'`: try again later).
     */
    private async handle(event: EventEnvelope): Promise<'handled' | 'duplicate' | 'busy'> {
      const db = this.db;
      if (db) {
        await ensureProcessSchema(db);
        const claim = await claimEvent(db, descriptor.name, event.id, Date.now(), claimLeaseMs);
        if (claim !== 'claimed') return claim;
      }
      try {
        for (const reading of upcaster.read(event)) {
          const handler = reading.definition ? descriptor.handlers.get(reading.type) : undefined;
          if (!handler) continue;
          const envelope: EventEnvelope = { ...event, type: reading.type, schemaVersion: reading.schemaVersion, payload: reading.payload };
          await this.call(handler.member, envelope, this.context(event));
        }
      } catch (error) {
        // Release the claim so that the retry need not wait for the lease to run out.
        if (db) await db.prepare('DELETE FROM escf_process_events WHERE process = ?1 AND event_id = ?2 AND handled_at = 0').bind(descriptor.name, event.id).run();
        throw error;
      }
      if (db) {
        await db
          .prepare('UPDATE escf_process_events SET handled_at = ?3 WHERE process = ?1 AND event_id = ?2')
          .bind(descriptor.name, event.id, Date.now())
          .run();
      }
      return 'handled';
    }

    private async call(member: string | symbol, input: unknown, context: ProcessHandlerContext<Effects, Env>): Promise<unknown> {
      const method = (this.process as Record<string | symbol, (input: unknown, context: unknown) => unknown>)[member];
      if (typeof method !== 'function') throw new DefinitionError(`${className}.${String(member)} is not a method.`);
      return method.call(this.process, input, context);
    }
  }
  Object.defineProperty(Entrypoint, 'name', { value: `${descriptor.bindingPrefix}_Process` });
  return Entrypoint as unknown as ProcessEntrypointClass<Env>;
}

