import { DefinitionError } from '@escf/core';
import { type EventStore } from '@escf/core/store';
import { type ProjectionDescriptor } from '@escf/core/internal';
import { ProjectionApplier, unlessQuery } from './projection-applier.js';
import { ensureProjectionSchema } from './projection-schema.js';
import { rebuildStatusOf, type RebuildRow, type RebuildStatus } from './projection-status.js';
import { toD1Statements } from './projection-statement.js';
import { groupByStream, streamKeyOf } from './stream-of-event.js';

/** How many streams a rebuild step applies at once. */
const REBUILD_STREAM_CONCURRENCY = 8;

/**
 * Runs `work` on every item, at most `limit` at a time; waits for all of
 * them, then throws the first failure (so none is left running unobserved).
 */
async function forEachConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failures.length > 0) throw failures[0];
}

/** The queue message that carries a rebuild forward, one batch at a time. */
export interface RebuildContinuation {
  readonly escfRebuild: { readonly projection: string; readonly generation: number; readonly cursor: number };
}

export function isRebuildContinuation(body: unknown): body is RebuildContinuation {
  return typeof body === 'object' && body !== null && typeof (body as RebuildContinuation).escfRebuild?.generation === 'number';
}

/** The optional hook a projection implements to empty its read model before a rebuild. */
export interface ResettableProjection {
  /** Returns the statements that empty the read model (e.g. `db.delete(users)`); they commit with the checkpoint reset. */
  resetReadModel(): unknown;
}

/**
 * Rebuilds a projection from the whole event log, one batch per step. The
 * cursor lives in the projection's D1 (`escf_projection_rebuilds`), so a
 * rebuild survives restarts: each step reads the next batch after the
 * cursor, applies it, and moves the cursor only if nobody else did — a step
 * delivered twice does nothing the second time.
 *
 * Live events keep flowing meanwhile: they go through the same per-stream
 * checkpoints, so an aggregate the live path reaches first is gap-filled
 * from the log and later skipped by the rebuild, and vice versa.
 */
export class ProjectionRebuild {
  constructor(
    private readonly descriptor: ProjectionDescriptor,
    private readonly instance: object,
    private readonly db: D1Database,
    private readonly store: EventStore,
    private readonly batchSize: number,
    private readonly logHead: () => Promise<number | null>,
    /**
     * Called once the rebuild has read up to the head of the log, before it
     * is marked done (a blue/green rebuild switches the active database
     * here). Returning false means the rebuild was superseded: it stops.
     * After it returns true, the step reads the log once more, up to the
     * head, for events that were delivered only to the other database.
     */
    private readonly beforeDone?: (generation: number) => Promise<boolean>,
  ) {}

  /**
   * Empties the read model and checkpoints in one D1 batch and starts a new
   * generation at position 0: the next one, or `generation` when given (a
   * blue/green rebuild's ticket).
   */
  async start(generation?: number): Promise<RebuildStatus> {
    await ensureProjectionSchema(this.db);
    const reset = (this.instance as Partial<ResettableProjection>).resetReadModel;
    if (typeof reset !== 'function') {
      throw new DefinitionError(
        `Projection '${this.descriptor.name}' cannot be rebuilt: add a resetReadModel() method returning the statements that empty its tables, e.g. [db.delete(users), db.delete(sessions)].`,
      );
    }
    const statements = toD1Statements(this.db, await unlessQuery(reset.call(this.instance)), `${this.descriptor.name}.resetReadModel`);
    const name = this.descriptor.name;
    const now = Date.now();
    const target = await this.logHead();
    await this.db.batch([
      ...statements,
      this.db.prepare('DELETE FROM escf_projection_streams WHERE projection = ?1').bind(name),
      this.db.prepare('DELETE FROM escf_projection_failures WHERE projection = ?1').bind(name),
      this.db
        .prepare(
          `INSERT INTO escf_projection_rebuilds (projection, generation, status, cursor, applied, target, started_at, updated_at, finished_at)
           VALUES (?1, COALESCE(?4, 1), 'running', 0, 0, ?2, ?3, ?3, NULL)
           ON CONFLICT (projection) DO UPDATE SET generation = COALESCE(?4, generation + 1), status = 'running', cursor = 0, applied = 0,
             target = excluded.target, started_at = excluded.started_at, updated_at = excluded.updated_at, finished_at = NULL`,
        )
        .bind(name, target, now, generation ?? null),
    ]);
    return (await this.status())!;
  }

  async status(): Promise<RebuildStatus | null> {
    await ensureProjectionSchema(this.db);
    const row = await this.db.prepare('SELECT * FROM escf_projection_rebuilds WHERE projection = ?1').bind(this.descriptor.name).first<RebuildRow>();
    return rebuildStatusOf(row);
  }

  /**
   * Applies the next batch of the log. With `expected`, does nothing unless
   * the rebuild is still at that generation and cursor (a stale or repeated
   * continuation). Returns the new status and whether more batches follow.
   */
  async step(expected?: { generation: number; cursor: number }): Promise<{ status: RebuildStatus | null; more: boolean }> {
    const current = await this.status();
    if (!current || current.status !== 'running') return { status: current, more: false };
    if (expected && (expected.generation !== current.generation || expected.cursor !== current.cursor)) return { status: current, more: false };
    let read = await this.applyAfter(current.cursor);
    let cursor = read.cursor;
    let applied = read.count;
    const done = read.count < this.batchSize;
    if (done && this.beforeDone) {
      if (!(await this.beforeDone(current.generation))) return { status: current, more: false };
      // Events committed to the log before the switch may have been delivered to the old database only.
      do {
        read = await this.applyAfter(cursor);
        cursor = read.cursor;
        applied += read.count;
      } while (read.count >= this.batchSize);
    }
    const now = Date.now();
    await this.db
      .prepare(
        `UPDATE escf_projection_rebuilds SET cursor = ?1, applied = applied + ?2, status = ?3, updated_at = ?4, finished_at = ?5
         WHERE projection = ?6 AND generation = ?7 AND cursor = ?8`,
      )
      .bind(cursor, applied, done ? 'done' : 'running', now, done ? now : null, this.descriptor.name, current.generation, current.cursor)
      .run();
    return { status: await this.status(), more: !done };
  }

  /** Applies up to one batch of the log after `after`; returns the new cursor and how many events it read. */
  private async applyAfter(after: number): Promise<{ cursor: number; count: number }> {
    const events = await this.store.readAll({ after, limit: this.batchSize });
    const applier = new ProjectionApplier(this.descriptor, this.instance, this.db, this.store);
    await applier.preload(events.map(streamKeyOf));
    // Each stream's events apply in version order; streams are independent —
    // live delivery through a queue is unordered across streams too — so
    // several streams apply at once, overlapping their D1 round trips.
    await forEachConcurrently([...groupByStream(events, (e) => e).values()], REBUILD_STREAM_CONCURRENCY, async (stream) => {
      for (const event of stream) await applier.apply(event);
    });
    return { cursor: events.at(-1)?.position ?? after, count: events.length };
  }
}
