import { DefinitionError, type EventEnvelope } from '@escf/core';
import type { ProcessDescriptor } from '@escf/core/internal';
import { type EventStore, isShardedEventLog, type ShardedEventLog } from '@escf/core/store';
import type { Upcaster } from '@escf/core/upcast';
import { followsOn } from '../delivery/routed-after.js';
import { recordStreamFailure } from '../delivery/stream-failures.js';
import { groupByStream, streamKeyOf, streamOf } from '../delivery/stream-of-event.js';
import { claimEvent } from './process-claim.js';
import { ProcessGapError, ProcessHandlerError } from './process-errors.js';
import { ensureProcessSchema, PROCESS_FAILURES } from './process-schema.js';
import { seedSweepPositions } from './process-sweep.js';

/** Processes whose sweep position this isolate has seeded (one statement per process, not per event). */
const sweepSeeded = new WeakMap<D1Database, Set<string>>();

/** What handing one event to a process did; `ignored`: no handler of the process wants it. */
export type HandleOutcome = 'handled' | 'duplicate' | 'busy' | 'ignored';

/**
 * What a process delivery did: events its handlers ran for, events they had
 * run for before, and events another delivery is handling right now (`busy`,
 * code `EVENT_BUSY` in the queue's vocabulary: deliver them again later).
 * Events no handler wants are in none.
 */
export interface ProcessDeliveryReport {
  readonly handled: number;
  readonly duplicates: number;
  readonly busy: number;
}

/** How events of one stream reach a process: in any order (the default), or in version order with a checkpoint. */
export type ProcessOrdering = 'none' | 'stream';

/** Runs one handler on one upcast reading of `trigger`, with the process's context; owned by the entrypoint. */
export type RunHandler = (member: string | symbol, envelope: EventEnvelope, trigger: EventEnvelope) => Promise<unknown>;

/**
 * Hands events to a process with effect once per event id (the claim in
 * `escf_process_events`), and for `ordering: 'stream'` in version order per
 * stream: an event ahead of the stream's checkpoint first pulls the missing
 * versions from the event store (so an event whose queue message was lost is
 * still handled, once), and an event at or below it is a duplicate.
 *
 * Without a database nothing is remembered: every delivery runs the handlers.
 */
export class ProcessDelivery {
  private readonly checkpoints = new Map<string, number>();

  constructor(
    private readonly descriptor: ProcessDescriptor,
    private readonly upcaster: Upcaster,
    private readonly db: D1Database | undefined,
    private readonly store: () => EventStore,
    private readonly ordering: ProcessOrdering,
    private readonly claimLeaseMs: number,
    private readonly now: () => number,
    private readonly runHandler: RunHandler,
  ) {}

  /**
   * Handles `event` (and, ordered, the versions of its stream before it that
   * were not handled yet). Throws what a handler threw, wrapped in a
   * {@link ProcessHandlerError} naming the event.
   */
  async handle(event: EventEnvelope): Promise<HandleOutcome> {
    if (!this.db || this.ordering === 'none') return this.handleOne(event);
    await ensureProcessSchema(this.db);
    const key = streamKeyOf(event);
    const checkpoint = await this.checkpoint(key);
    if (event.version <= checkpoint) return 'duplicate';
    // Versions the outbox skipped (types this process does not handle) are no gap.
    if (!followsOn(event, checkpoint)) {
      const needed = event.version - checkpoint - 1;
      const missing = await this.store().readStream(streamOf(event), { fromVersion: checkpoint + 1, limit: needed });
      const usable = missing.filter((e, index) => e.version === checkpoint + 1 + index);
      if (usable.length < needed)
        throw ProcessGapError.at(this.descriptor.name, key, checkpoint, event.version, usable.length);
      for (const earlier of usable) {
        if ((await this.handleOne(earlier)) === 'busy') return 'busy';
      }
    }
    return this.handleOne(event);
  }

  /**
   * Handles events stream by stream; a failing or busy stream stops
   * (ordered) or skips its event, the others go on. An event another
   * delivery is handling right now is counted as `busy`, not thrown: it is
   * an expected condition, not an error. Throws the first failure.
   */
  async deliverAll(events: readonly EventEnvelope[]): Promise<ProcessDeliveryReport> {
    let handled = 0;
    let duplicates = 0;
    let busy = 0;
    const failures: unknown[] = [];
    for (const group of groupByStream(events, (e) => e).values()) {
      for (const event of group) {
        try {
          const outcome = await this.handle(event);
          if (outcome === 'busy') {
            busy++;
            if (this.ordering === 'stream') break;
          } else if (outcome === 'handled') handled++;
          else if (outcome === 'duplicate') duplicates++;
        } catch (error) {
          await this.recordFailure(event, error, 0, false);
          failures.push(error);
          if (this.ordering === 'stream') break;
        }
      }
    }
    if (failures.length > 0) throw failures[0];
    return { handled, duplicates, busy };
  }

  /** Whether a handler of the process wants the event (its type, or the type an upcast reads it as). */
  wants(event: EventEnvelope): boolean {
    if (this.upcaster.needsStreamHistory(event)) return true;
    try {
      return this.upcaster
        .read(event, {})
        .some((reading) => reading.definition !== undefined && this.descriptor.handlers.has(reading.type));
    } catch {
      return true; // unreadable: handing it over records it as stuck, with the upcast error
    }
  }

  /** Records that the event's stream is stuck (the projection vocabulary: `status().stuck`). */
  async recordFailure(event: EventEnvelope, error: unknown, attempts: number, deadLettered: boolean): Promise<void> {
    if (!this.db) return;
    await ensureProcessSchema(this.db);
    await recordStreamFailure(
      this.db,
      PROCESS_FAILURES,
      this.descriptor.name,
      event,
      error,
      attempts,
      deadLettered,
      this.now(),
    );
  }

  /** The event store when it is sharded (its shards' sweeps start together), else `null` — also without an event store. */
  private shardedLog(): ShardedEventLog | null {
    let store: EventStore;
    try {
      store = this.store();
    } catch {
      return null; // no event store binding: nothing to sweep, one position to start
    }
    return isShardedEventLog(store) && store.shardCount > 1 ? store : null;
  }

  /** The stream's handled version (0 if none); ordered processes only. */
  private async checkpoint(key: string): Promise<number> {
    const cached = this.checkpoints.get(key);
    if (cached !== undefined) return cached;
    const row = await this.db!.prepare('SELECT version FROM escf_process_streams WHERE process = ?1 AND stream = ?2')
      .bind(this.descriptor.name, key)
      .first<{ version: number }>();
    const version = row?.version ?? 0;
    this.checkpoints.set(key, version);
    return version;
  }

  private async handleOne(event: EventEnvelope): Promise<HandleOutcome> {
    const db = this.db;
    const where = (this.descriptor.processClass as { name?: string }).name || this.descriptor.name;
    let calls: Array<{ member: string | symbol; envelope: EventEnvelope }>;
    try {
      calls = await this.handlerCalls(event);
    } catch (error) {
      throw ProcessHandlerError.of(this.descriptor.name, where, event, streamKeyOf(event), error);
    }
    if (db) await ensureProcessSchema(db);
    // An event no handler wants only advances an ordered stream's checkpoint.
    if (calls.length > 0 && db) {
      const claim = await claimEvent(db, this.descriptor.name, event.id, this.now(), this.claimLeaseMs);
      if (claim === 'busy') return 'busy';
      if (claim === 'duplicate') {
        if (this.ordering === 'stream') await this.markHandled(event, false);
        return 'duplicate';
      }
    }
    for (const { member, envelope } of calls) {
      try {
        await this.runHandler(member, envelope, event);
      } catch (error) {
        // Release the claim so that the retry need not wait for the lease to run out.
        if (db)
          await db
            .prepare('DELETE FROM escf_process_events WHERE process = ?1 AND event_id = ?2 AND handled_at = 0')
            .bind(this.descriptor.name, event.id)
            .run();
        if (error instanceof DefinitionError) throw error;
        throw ProcessHandlerError.of(
          this.descriptor.name,
          `${where}.${String(member)}`,
          event,
          streamKeyOf(event),
          error,
        );
      }
    }
    // An unordered process has nothing to record for an event no handler wants (no D1 write per such event).
    if (db && (calls.length > 0 || this.ordering === 'stream')) await this.markHandled(event, calls.length > 0);
    return calls.length > 0 ? 'handled' : 'ignored';
  }

  /** The handlers an event reaches, each with its upcast reading. */
  private async handlerCalls(
    event: EventEnvelope,
  ): Promise<Array<{ member: string | symbol; envelope: EventEnvelope }>> {
    const calls: Array<{ member: string | symbol; envelope: EventEnvelope }> = [];
    // Lenses that fold over the stream read its earlier events (old versions of such events only).
    const context = this.upcaster.needsStreamHistory(event)
      ? { earlier: await this.store().readStream(streamOf(event), { limit: event.version - 1 }) }
      : {};
    for (const reading of this.upcaster.read(event, context)) {
      const handler = reading.definition ? this.descriptor.handlers.get(reading.type) : undefined;
      if (handler)
        calls.push({
          member: handler.member,
          envelope: { ...event, type: reading.type, schemaVersion: reading.schemaVersion, payload: reading.payload },
        });
    }
    return calls;
  }

  /** Marks the event handled, advances an ordered stream's checkpoint and clears the stream's failure, in one batch. */
  private async markHandled(event: EventEnvelope, claimed: boolean): Promise<void> {
    const db = this.db!;
    const name = this.descriptor.name;
    const key = streamKeyOf(event);
    const statements: D1PreparedStatement[] = [];
    if (claimed) {
      statements.push(
        db
          .prepare('UPDATE escf_process_events SET handled_at = ?3 WHERE process = ?1 AND event_id = ?2')
          .bind(name, event.id, this.now()),
      );
      // The log sweep starts at the first event this process handles.
      const seeded = sweepSeeded.get(db) ?? new Set<string>();
      sweepSeeded.set(db, seeded);
      if (event.position !== undefined && !seeded.has(name)) {
        statements.push(
          ...(await seedSweepPositions(db, name, { ...event, position: event.position }, this.shardedLog())),
        );
        seeded.add(name);
      }
    }
    if (this.ordering === 'stream') {
      statements.push(
        db
          .prepare(
            `INSERT INTO escf_process_streams (process, stream, version, position) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (process, stream) DO UPDATE SET version = excluded.version, position = excluded.position
             WHERE excluded.version > escf_process_streams.version`,
          )
          .bind(name, key, event.version, event.position ?? null),
        db
          .prepare('DELETE FROM escf_process_failures WHERE process = ?1 AND stream = ?2 AND version <= ?3')
          .bind(name, key, event.version),
      );
      this.checkpoints.set(key, Math.max(this.checkpoints.get(key) ?? 0, event.version));
    } else {
      statements.push(
        db
          .prepare('DELETE FROM escf_process_failures WHERE process = ?1 AND stream = ?2 AND event_id = ?3')
          .bind(name, key, event.id),
      );
    }
    await db.batch(statements);
  }
}
