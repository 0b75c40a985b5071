import type { EventEnvelope } from '@escf/core';
import type { ProjectionDescriptor } from '@escf/core/internal';
import type { EventStore } from '@escf/core/store';
import { Upcaster } from '@escf/core/upcast';
import { followsOn } from '../delivery/routed-after.js';
import { checkpointsStatement } from './projection-checkpoint.js';
import { ProjectionGapError, ProjectionHandlerError } from './projection-errors.js';
import { CHECKPOINT_CONFLICT, ensureProjectionSchema } from './projection-schema.js';
import { ProjectionShardPositions } from './projection-shard-positions.js';
import { toD1Statements } from './projection-statement.js';
import { streamKeyOf, streamOf } from './stream-of-event.js';

/** What applying one delivered event did. */
export type ApplyOutcome = 'applied' | 'duplicate';

const upcasters = new WeakMap<ProjectionDescriptor, Upcaster>();

/** One upcaster per projection class, built from the events it handles. */
export function upcasterFor(descriptor: ProjectionDescriptor): Upcaster {
  let upcaster = upcasters.get(descriptor);
  if (!upcaster) upcasters.set(descriptor, (upcaster = new Upcaster(descriptor.events)));
  return upcaster;
}

/**
 * Applies events to one projection instance with exactly-once effect:
 *
 * - per stream, events apply in version order; an event ahead of the
 *   checkpoint first pulls the missing versions from the event store;
 * - an event at or below the checkpoint is a duplicate and is skipped;
 * - the statements a handler returns commit in one D1 batch with the
 *   checkpoint, whose triggers reject anything but the next version — so two
 *   racing deliveries of one event (queue, RPC, rebuild) commit once.
 *
 * Lives for one invocation: the checkpoint cache is only a hint, the
 * database decides.
 */
export class ProjectionApplier {
  private readonly checkpoints = new Map<string, number>();
  private readonly upcaster: Upcaster;
  /** Event types whose handler is an `async` function. */
  private readonly asyncTypes: ReadonlySet<string>;
  /** Over a sharded store: records each shard's applied position in the batches that apply events. */
  private readonly shardPositions: ProjectionShardPositions | null;

  constructor(
    private readonly descriptor: ProjectionDescriptor,
    private readonly instance: object,
    private readonly db: D1Database,
    private readonly store: EventStore,
  ) {
    this.upcaster = upcasterFor(descriptor);
    this.asyncTypes = asyncHandlerTypes(descriptor, instance);
    this.shardPositions = ProjectionShardPositions.of(store);
  }

  /**
   * The statements a batch applying `events` adds to record each shard's
   * applied position: none unless the event store is sharded.
   */
  shardPositionStatements(events: readonly EventEnvelope[]): Promise<D1PreparedStatement[]> | D1PreparedStatement[] {
    return this.shardPositions ? this.shardPositions.statements(this.db, this.descriptor.name, events) : [];
  }

  /** Applies `event`, after any versions of its stream the projection has not seen. */
  async apply(event: EventEnvelope): Promise<ApplyOutcome> {
    await ensureProjectionSchema(this.db);
    const key = streamKeyOf(event);
    for (let attempt = 0; ; attempt++) {
      const checkpoint = await this.checkpoint(key);
      if (event.version <= checkpoint) return 'duplicate';
      try {
        // Versions the outbox skipped (types this projection does not handle) are no gap.
        if (followsOn(event, checkpoint)) await this.applyNext(event, key, checkpoint);
        else {
          await this.fillGap(event, key, checkpoint);
          await this.applyNext(event, key, event.version - 1);
        }
        return 'applied';
      } catch (error) {
        // Someone else advanced (or a rebuild reset) the checkpoint: re-read it.
        if (!isCheckpointConflict(error) || attempt >= 8) throw error;
        this.checkpoints.delete(key);
      }
    }
  }

  /** Loads the checkpoints of many streams in one query (a rebuild batch touches many). */
  async preload(keys: readonly string[]): Promise<void> {
    await ensureProjectionSchema(this.db);
    const unique = [...new Set(keys)].filter((key) => !this.checkpoints.has(key));
    if (unique.length === 0) return;
    // One bound parameter (a JSON array) whatever the count: D1 allows 100 per query.
    const { results } = await this.db
      .prepare(
        'SELECT stream, version FROM escf_projection_streams WHERE projection = ?1 AND stream IN (SELECT value FROM json_each(?2))',
      )
      .bind(this.descriptor.name, JSON.stringify(unique))
      .all<{ stream: string; version: number }>();
    for (const key of unique) this.checkpoints.set(key, 0);
    for (const row of results) this.checkpoints.set(row.stream, row.version);
  }

  /** The stream's applied version (0 if none). */
  async checkpoint(key: string): Promise<number> {
    const cached = this.checkpoints.get(key);
    if (cached !== undefined) return cached;
    const row = await this.db
      .prepare('SELECT version FROM escf_projection_streams WHERE projection = ?1 AND stream = ?2')
      .bind(this.descriptor.name, key)
      .first<{ version: number }>();
    const version = row?.version ?? 0;
    this.checkpoints.set(key, version);
    return version;
  }

  private async fillGap(event: EventEnvelope, key: string, checkpoint: number): Promise<void> {
    for (const earlier of await this.missingBefore(event, key, checkpoint))
      await this.applyNext(earlier, key, earlier.version - 1);
  }

  /** The stream's versions between `checkpoint` and `event`, read from the event store; throws if the log lacks one. */
  async missingBefore(event: EventEnvelope, key: string, checkpoint: number): Promise<EventEnvelope[]> {
    const needed = event.version - checkpoint - 1;
    if (needed <= 0) return [];
    const missing = await this.store.readStream(streamOf(event), { fromVersion: checkpoint + 1, limit: needed });
    const usable = missing.filter((e, index) => e.version === checkpoint + 1 + index);
    if (usable.length < needed)
      throw ProjectionGapError.at(this.descriptor.name, key, checkpoint, event.version, usable.length);
    return usable;
  }

  /** Records what the database now holds (after a batch committed), or forgets it (after a conflict). */
  remember(key: string, version: number | undefined): void {
    if (version === undefined) this.checkpoints.delete(key);
    else this.checkpoints.set(key, version);
  }

  /**
   * True when a handler of `event` is an `async` function: it may read the
   * read model in JavaScript, so everything before it must be committed
   * first (a batched apply flushes before calling it).
   */
  readsBeforeReturning(event: EventEnvelope): boolean {
    if (this.asyncTypes.size === 0) return false;
    return this.upcaster.read(event).some((reading) => this.asyncTypes.has(reading.type));
  }

  /** Runs the handlers for `event` (through the upcaster) and returns their statements, not yet committed. */
  async handlerStatements(event: EventEnvelope, key: string): Promise<D1PreparedStatement[]> {
    const statements: D1PreparedStatement[] = [];
    // Lenses that fold over the stream read its earlier events (rare: old versions of such events only).
    const context = this.upcaster.needsStreamHistory(event)
      ? { earlier: await this.store.readStream(streamOf(event), { limit: event.version - 1 }) }
      : {};
    for (const reading of this.upcaster.read(event, context)) {
      const handler = reading.definition ? this.descriptor.handlers.get(reading.type) : undefined;
      if (!handler) continue; // an event this projection does not handle still advances the checkpoint
      const envelope: EventEnvelope = {
        ...event,
        type: reading.type,
        schemaVersion: reading.schemaVersion,
        payload: reading.payload,
      };
      const where = `${(this.descriptor.projectionClass as { name?: string }).name ?? this.descriptor.name}.${String(handler.member)}`;
      try {
        const method = (this.instance as Record<string | symbol, (e: EventEnvelope) => unknown>)[handler.member]!;
        statements.push(...toD1Statements(this.db, await unlessQuery(method.call(this.instance, envelope)), where));
      } catch (error) {
        throw ProjectionHandlerError.of(this.descriptor.name, where, event, key, error);
      }
    }
    return statements;
  }

  /** Runs the handlers for the stream's next event (after `checkpoint`) and commits their statements with the checkpoint. */
  private async applyNext(event: EventEnvelope, key: string, checkpoint: number): Promise<void> {
    const statements = await this.handlerStatements(event, key);
    const name = this.descriptor.name;
    const shardPositions = await this.shardPositionStatements([event]);
    await this.db.batch([
      // First, so that a stale delivery aborts before any read-model change.
      checkpointsStatement(this.db, name, [{ key, event, after: checkpoint }]),
      ...statements,
      this.db
        .prepare('DELETE FROM escf_projection_failures WHERE projection = ?1 AND stream = ?2 AND version <= ?3')
        .bind(name, key, event.version),
      ...shardPositions,
    ]);
    this.checkpoints.set(key, event.version);
  }
}

const AsyncFunction = (async () => {}).constructor;
const asyncTypesOf = new WeakMap<ProjectionDescriptor, ReadonlySet<string>>();

/** The event types whose handler method is declared `async` (read once per projection class). */
function asyncHandlerTypes(descriptor: ProjectionDescriptor, instance: object): ReadonlySet<string> {
  let types = asyncTypesOf.get(descriptor);
  if (!types) {
    const found = new Set<string>();
    for (const [type, handler] of descriptor.handlers) {
      if ((instance as Record<string | symbol, unknown>)[handler.member] instanceof AsyncFunction) found.add(type);
    }
    asyncTypesOf.set(descriptor, (types = found));
  }
  return types;
}

/**
 * Awaits a handler's promise, but never a Drizzle query: those are
 * thenables, and awaiting one would run it outside the checkpoint's batch.
 * (An `async` handler must therefore return queries in an array.)
 */
export async function unlessQuery(returned: unknown): Promise<unknown> {
  // Wrapped in an array: returning a thenable from this async function would run it too.
  if (returned && typeof (returned as { toSQL?: unknown }).toSQL === 'function') return [returned];
  return returned instanceof Promise ? await returned : returned;
}

/** True when D1 rejected a checkpoint write that was not the stream's next version. */
export function isCheckpointConflict(error: unknown): boolean {
  return String((error as Error)?.message ?? error).includes(CHECKPOINT_CONFLICT);
}
