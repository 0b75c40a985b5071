import { type EventEnvelope, InternalError } from '@escf/core';
import { EscfAttribute, flushTraces, log, redactSensitive, SpanKind } from '@escf/core/internal';
import type { StreamId } from '@escf/core/store';
import type { AggregateStorage, StoredIdentity } from '../aggregate/aggregate-storage.js';
import { faultPoint } from '../aggregate/fault-points.js';
import type { ResolvedHostOptions } from '../aggregate/host-options.js';
import { ROUTED_AFTER } from '../delivery/routed-after.js';
import { D1EventStore } from '../event-store/d1-event-store.js';
import { ShardedD1EventStore } from '../event-store/sharded-event-store.js';
import { eventBatchSpan } from '../observability/event-spans.js';
import { DeliveryHealth, type TargetFailure } from './delivery-health.js';
import { EventRoutes } from './event-routes.js';
import { splitIntoQueueBatches } from './queue-batches.js';

/** The D1 event store's cursor; queues are `queue:BINDING`, services `service:BINDING`. */
const D1_TARGET = 'd1';
/** Most events per `deliver` call to a service subscriber. */
const SERVICE_BATCH_SIZE = 100;

/**
 * A synchronous subscriber's RPC surface. A reply with `busy > 0` (a
 * process: another delivery is handling some of the events right now) is
 * not an acceptance: the cursor stays and the events are delivered again.
 */
export interface EventSubscriber {
  deliver(events: EventEnvelope[]): Promise<unknown>;
}

/** What one drain pass did. */
export interface OutboxReport {
  /** Events newly written to D1. */
  readonly storedInD1: number;
  /** D1 rows written (from D1's `meta.rows_written`). */
  readonly d1RowsWritten: number;
  /** Messages or events handed to queues and services. */
  readonly published: number;
  /** Why delivery to some target failed; empty on success. */
  readonly failures: readonly string[];
  /** Events not yet delivered to every target after the pass. */
  readonly pending: number;
}

/**
 * Delivers committed events from the aggregate's SQLite to D1, then to queues
 * and synchronous subscribers, at least once. Progress per target is a cursor
 * (the last delivered version), advanced only after the target accepted the
 * events, so a failing target is retried with backoff and never loses or
 * skips events; other targets are not held back by it (except that queues
 * and services only get events already in D1, which gives them positions).
 */
export class Outbox {
  private alarmPending = false;
  private recovered = false;
  private failedAttempts = 0;
  private running: Promise<OutboxReport> | null = null;
  private drainAgain = false;
  /** Drain passes that failed in a row, on any path (alarm or `executeSync`): the delivery attempt of traces. */
  private failedPasses = 0;
  private readonly routes: EventRoutes;
  /** Each target's failure streak (failing since, attempts, last error), for status, metrics and escalating logs. */
  readonly health: DeliveryHealth;
  /** Kept across passes: it remembers which shard this aggregate's stream lives in. */
  private sharded: ShardedD1EventStore | undefined;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly storage: AggregateStorage,
    private readonly env: () => Record<string, unknown>,
    private readonly options: ResolvedHostOptions,
    /** Decrypts sealed sensitive fields for receivers that need them (crypto-shredding on). */
    private readonly openSealed: (events: EventEnvelope[]) => Promise<EventEnvelope[]> = async (events) => events,
  ) {
    this.routes = new EventRoutes(options.routes, options.declaredEventTypes ?? new Set());
    this.health = new DeliveryHealth(storage, () => options.clock.now());
  }

  /** Events as one subscriber may see them: without sensitive fields unless it is a declared receiver. */
  private async forReceiver(binding: string, events: EventEnvelope[]): Promise<EventEnvelope[]> {
    const fields = this.options.sensitiveFields;
    if (!fields || fields.size === 0) return events;
    const needed = this.options.sensitiveReceivers[binding] ?? [];
    const shaped = events.map((event) =>
      needed.includes(event.type) ? event : redactSensitive(event, fields.get(event.type)),
    );
    return needed.length > 0 ? this.openSealed(shaped) : shaped;
  }

  /**
   * After a commit with events: make sure an alarm will drain them. No
   * storage write if one is pending. `drainsNow`: the command's own
   * `executeSync` delivers them right away.
   *
   * When a pass starts right now (that one, or the pass started here for
   * queue subscribers), the alarm is only the safety net for a failed pass
   * or an evicted object, so it is armed `retryBaseMs` ahead — when a failed
   * pass would be retried anyway — instead of waking the object again at
   * once after every command: a busy aggregate then runs one alarm per
   * `retryBaseMs`, not one per command (measured: about 1 ms of CPU per
   * command in local workerd).
   */
  afterCommit(drainsNow = false): void {
    const startsPass = this.options.queues.length > 0 && this.options.outboxDelayMs === 0;
    if (startsPass) this.startDrain();
    if (this.alarmPending) return;
    this.alarmPending = true;
    const delay =
      startsPass || drainsNow
        ? Math.max(this.options.outboxDelayMs, this.options.retryBaseMs)
        : this.options.outboxDelayMs;
    void this.ctx.storage.setAlarm(Date.now() + delay);
  }

  /**
   * On an instance's first request: the in-memory "alarm pending" flag is
   * gone, so look at storage once, and re-arm if events wait undelivered.
   */
  async recover(): Promise<void> {
    if (this.recovered) return;
    this.recovered = true;
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm !== null) {
      this.alarmPending = true;
      return;
    }
    if (this.pendingCount() > 0) {
      this.alarmPending = true;
      await this.ctx.storage.setAlarm(Date.now() + this.options.outboxDelayMs);
    }
  }

  /** The alarm handler: drain until empty, or re-arm with exponential backoff. */
  async onAlarm(): Promise<void> {
    this.recovered = true;
    this.alarmPending = true; // the alarm is running: commits need not set another
    this.storage.purgeExpiredIdempotencyKeys(Date.now());
    for (;;) {
      const report = await this.drain();
      if (report.failures.length > 0) {
        this.failedAttempts += 1;
        const delay = Math.min(this.options.retryBaseMs * 2 ** (this.failedAttempts - 1), this.options.retryMaxMs);
        const identity = this.storage.readIdentity();
        // Each failing target is logged by `health` (warn, then errors at escalation thresholds); this is the schedule.
        log({
          level: 'debug',
          message: 'outbox retry scheduled',
          code: 'DELIVERY_FAILED',
          ...(identity === null
            ? {}
            : {
                aggregateType: identity.aggregateType,
                aggregateId: identity.aggregateId,
                tenantId: identity.tenantId,
              }),
          attempt: this.failedAttempts,
          retryDelayMs: delay,
          failures: report.failures,
        });
        await this.ctx.storage.setAlarm(Date.now() + delay);
        return;
      }
      this.failedAttempts = 0;
      // Checked and cleared synchronously: a commit after this sets a new alarm.
      if (this.pendingCount() === 0) {
        this.alarmPending = false;
        return;
      }
    }
  }

  /**
   * Drains until every target has every event up to `version` (for
   * `executeSync`). Returns the failures that stopped it, or `[]`.
   *
   * A pass only delivers what was committed when it began, so a waiter
   * joins the pass in progress if it covers its version, else waits for it
   * and starts (or joins) the next one — which takes every commit made
   * meanwhile in one D1 row (group commit). A burst of commits therefore
   * answers in a few passes; no waiter waits for commits made after it.
   */
  async drainThrough(version: number): Promise<readonly string[]> {
    while (this.deliveredThrough() < version) {
      const report = await this.drain();
      if (report.failures.length > 0 && this.deliveredThrough() < version) return report.failures;
    }
    return [];
  }

  /** One drain pass, up to the head version when it began; concurrent callers share the pass in progress. */
  drain(): Promise<OutboxReport> {
    this.running ??= this.drainPass(this.storage.headVersion())
      .then((report) => {
        this.failedPasses = report.failures.length > 0 ? this.failedPasses + 1 : 0;
        return report;
      })
      .finally(() => {
        this.running = null;
        flushTraces(this.ctx);
      });
    return this.running;
  }

  /**
   * Starts a pass now, without waiting for the alarm (which stays armed as
   * the safety net): queue consumers see a commit milliseconds later. If a
   * pass is running, the commit waits for it, then one more pass starts.
   */
  private startDrain(): void {
    if (this.running) {
      this.drainAgain = true;
      return;
    }
    this.drain().then(
      (report) => {
        if (report.failures.length > 0 || !this.drainAgain) return;
        this.drainAgain = false;
        this.startDrain();
      },
      () => {},
    );
  }

  /** Events not yet delivered to every target. */
  pendingCount(): number {
    return Math.max(0, this.storage.headVersion() - this.deliveredThrough());
  }

  private targets(): string[] {
    return [
      D1_TARGET,
      ...this.options.queues.map((b) => `queue:${b}`),
      ...this.options.services.map((b) => `service:${b}`),
    ];
  }

  /** The lowest cursor over all targets: every event up to it is delivered everywhere. */
  private deliveredThrough(): number {
    const cursors = this.storage.readCursors();
    return Math.min(...this.targets().map((target) => cursors.get(target) ?? 0));
  }

  private async drainPass(upTo: number): Promise<OutboxReport> {
    const identity = this.storage.readIdentity();
    const failures: string[] = [];
    const failed = new Map<string, TargetFailure>();
    const fail = (target: string, text: string, error: unknown) => {
      failures.push(`${text}: ${messageOf(error)}`);
      failed.set(target, { message: messageOf(error), code: codeOf(error) });
    };
    let storedInD1 = 0;
    let d1RowsWritten = 0;
    let published = 0;
    if (identity === null) return { storedInD1, d1RowsWritten, published, failures, pending: 0 };

    // A target added to an existing aggregate starts at what D1 has, not at
    // the beginning of history (projections rebuild history from D1).
    const initial = this.storage.readCursors();
    for (const target of this.targets()) {
      if (!initial.has(target))
        this.storage.setCursor(target, target === D1_TARGET ? 0 : (initial.get(D1_TARGET) ?? 0));
    }

    // What this pass did, recorded in storage in one transaction when it ends: the events it stored in
    // D1 with their positions (the targets below take them from here instead of reading and parsing
    // them again from storage, once per target) and every cursor it moved.
    const pass: PassProgress = { stored: new Map(), moves: new Map(), inD1: initial.get(D1_TARGET) ?? 0 };

    // 1. D1: the global log, which assigns positions.
    try {
      const store = this.eventStore();
      const stream: StreamId = {
        aggregateType: identity.aggregateType,
        aggregateId: identity.aggregateId,
        ...(identity.tenantId === undefined ? {} : { tenantId: identity.tenantId }),
      };
      for (;;) {
        const events = this.storage.readEvents(identity, pass.inD1, { limit: this.options.batchSize, upTo });
        if (events.length === 0) break;
        const before = store.stats.rowsWritten;
        const positions = await eventBatchSpan(
          'escf.d1.append',
          events,
          () => ({
            'db.system.name': 'cloudflare_d1',
            'db.operation.name': 'INSERT',
            [EscfAttribute.attempt]: this.attempt(),
          }),
          SpanKind.CLIENT,
          () => store.appendIdempotently(stream, events),
        );
        d1RowsWritten += store.stats.rowsWritten - before;
        faultPoint('outbox:d1-appended');
        events.forEach((event, index) => pass.stored.set(event.version, { ...event, position: positions[index]! }));
        pass.inD1 = events.at(-1)!.version;
        pass.moves.set(D1_TARGET, pass.inD1);
        faultPoint('outbox:d1-recorded');
        storedInD1 += events.length;
        if (events.length < this.options.batchSize) break; // read up to `upTo`: nothing more to read
      }
    } catch (error) {
      fail(D1_TARGET, `D1 (${this.options.eventStoreShards.join(', ')})`, error);
    }

    // 2. Queues and 3. services, each from its own cursor up to what D1 has. Targets are independent
    // (own cursor, own failures), so they are delivered to at the same time: a command waiting for
    // two synchronous projections waits for the slower one, not for both in turn.
    const deliveries = [
      ...this.options.queues.map((binding) => async () => {
        try {
          const sent = await this.publish(identity, pass, binding, `queue:${binding}`, async (events) => {
            const queue = this.binding<Queue>(binding, 'sendBatch');
            for (const batch of splitIntoQueueBatches(await this.forReceiver(binding, events))) {
              await eventBatchSpan(
                `escf.queue.send ${binding}`,
                batch,
                () => this.deliveryAttributes(binding, 'send'),
                SpanKind.PRODUCER,
                () => queue.sendBatch(batch.map((body) => ({ body, contentType: 'json' as const }))),
              );
            }
          });
          published += sent; // not `+= await`: that would read the total before the other deliveries add to it
        } catch (error) {
          fail(`queue:${binding}`, `queue ${binding}`, error);
        }
      }),
      ...this.options.services.map((binding) => async () => {
        try {
          const sent = await this.publish(
            identity,
            pass,
            binding,
            `service:${binding}`,
            async (events) => {
              const subscriber = this.binding<EventSubscriber>(binding, 'deliver');
              const shaped = await this.forReceiver(binding, events);
              const reply = await eventBatchSpan(
                `escf.service.deliver ${binding}`,
                shaped,
                () => ({
                  ...this.deliveryAttributes(binding, 'deliver'),
                  'rpc.system': 'cloudflare_rpc',
                  'rpc.method': 'deliver',
                }),
                SpanKind.CLIENT,
                () => subscriber.deliver(shaped),
              );
              const busy = (reply as { busy?: unknown } | null)?.busy;
              if (typeof busy === 'number' && busy > 0)
                throw new Error(`EVENT_BUSY: ${busy} event(s) are being handled by another delivery; delivering again`);
            },
            SERVICE_BATCH_SIZE,
          );
          published += sent;
        } catch (error) {
          fail(`service:${binding}`, `service ${binding}`, error);
        }
      }),
    ];
    await Promise.all(deliveries.map((deliver) => deliver()));
    // The pass's progress in one storage transaction: D1 positions and every target's cursor (a
    // write after each delivery cost more than the rest of the pass in local workerd). A crash
    // before it only means those events are appended again (idempotently) and delivered again,
    // which subscribers dedupe by event id, as after any lost acknowledgement.
    this.storage.recordPass([...pass.stored.values()], [...pass.moves]);
    this.health.afterPass(identity, this.targets(), failed);
    return { storedInD1, d1RowsWritten, published, failures, pending: this.pendingCount() };
  }

  /**
   * Sends a target everything between its cursor and D1's that its
   * subscriber handles, chunk by chunk, advancing its cursor. A routed
   * target also keeps the version it was last sent (cursor `routed:…`): an
   * event sent after skipped ones carries it as `metadata.routedAfter`, so
   * the subscriber's per-stream checkpoint moves over the skipped versions
   * without reading them from the log.
   */
  private async publish(
    identity: StoredIdentity,
    pass: PassProgress,
    binding: string,
    target: string,
    send: (events: EventEnvelope[]) => Promise<void>,
    chunkSize = this.options.batchSize,
  ): Promise<number> {
    const routed = this.routes.filters(binding);
    const lastSentKey = `routed:${target}`;
    const cursors = this.storage.readCursors();
    // D1 is done for this pass: the targets deliver up to what it holds now.
    const inD1 = pass.inD1;
    let cursor = cursors.get(target) ?? 0;
    // Before routing existed every event was sent: the cursor is then also the last version sent.
    let lastSent = cursors.get(lastSentKey) ?? cursor;
    let sent = 0;
    while (cursor < inD1) {
      const upTo = Math.min(inD1, cursor + chunkSize);
      // Events this pass stored carry their positions here only: storage gets them when the pass ends.
      const events =
        inRange(pass.stored, cursor, upTo) ??
        this.storage.readEvents(identity, cursor, { upTo }).map((event) => pass.stored.get(event.version) ?? event);
      if (events.length === 0) break;
      const wanted: EventEnvelope[] = [];
      for (const event of events) {
        if (!this.routes.delivers(binding, event.type)) continue;
        wanted.push(
          routed && lastSent < event.version - 1
            ? { ...event, metadata: { ...event.metadata, [ROUTED_AFTER]: lastSent } }
            : event,
        );
        lastSent = event.version;
      }
      if (wanted.length > 0) await send(wanted);
      faultPoint('outbox:published', { target });
      // Recorded with the pass's other cursors in one write when the pass ends (see drainPass);
      // the routed cursor only when it moved or was never written.
      if (routed && (wanted.length > 0 || !cursors.has(lastSentKey))) pass.moves.set(lastSentKey, lastSent);
      cursor = events.at(-1)!.version;
      pass.moves.set(target, cursor);
      sent += wanted.length;
    }
    return sent;
  }

  /** Which delivery attempt this pass is: 1, then 2, 3… while a target keeps failing (tracing). */
  private attempt(): number {
    return this.failedPasses + 1;
  }

  private deliveryAttributes(binding: string, operation: string): Record<string, string | number> {
    return {
      [EscfAttribute.target]: binding,
      [EscfAttribute.attempt]: this.attempt(),
      'messaging.destination.name': binding,
      'messaging.operation.name': operation,
    };
  }

  private eventStore(): D1EventStore | ShardedD1EventStore {
    const shards = this.options.eventStoreShards;
    if (shards.length === 1) {
      const db = this.binding<D1Database>(shards[0]!, 'batch');
      return new D1EventStore(db, { table: this.options.eventStoreTable });
    }
    this.sharded ??= new ShardedD1EventStore(
      shards.map((binding) => this.binding<D1Database>(binding, 'batch')),
      {
        table: this.options.eventStoreTable,
        ...(this.options.eventStoreLayouts ? { layouts: this.options.eventStoreLayouts } : {}),
      },
    );
    return this.sharded;
  }

  private binding<T>(name: string, method: string): T {
    const value = this.env()[name] as Record<string, unknown> | undefined;
    if (!value || typeof value[method] !== 'function') {
      throw new InternalError(`Binding '${name}' is missing or has no ${method}(): declare it in wrangler.jsonc`, {
        details: {
          binding: name,
        },
      });
    }
    return value as T;
  }
}

/** What one drain pass has done so far. */
interface PassProgress {
  /** Events the pass stored in D1, with their positions, by version. */
  readonly stored: Map<number, EventEnvelope>;
  /** Cursors the pass moved (D1's and the targets'), written together when the pass ends. */
  readonly moves: Map<string, number>;
  /** The highest version in D1 (stored before, or by this pass). */
  inD1: number;
}

/** Versions `after + 1 … upTo` from the pass's stored events, or undefined unless it holds every one of them. */
function inRange(stored: ReadonlyMap<number, EventEnvelope>, after: number, upTo: number): EventEnvelope[] | undefined {
  const events: EventEnvelope[] = [];
  for (let version = after + 1; version <= upTo; version++) {
    const event = stored.get(version);
    if (event === undefined) return undefined;
    events.push(event);
  }
  return events;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function codeOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}
