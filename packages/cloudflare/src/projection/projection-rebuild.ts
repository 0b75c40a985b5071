import { DefinitionError, type EventEnvelope } from '@escf/core';
import type { ProjectionDescriptor } from '@escf/core/internal';
import { type EventStore, isShardedEventLog, type ShardedEventLog } from '@escf/core/store';
import { ProjectionApplier, unlessQuery } from './projection-applier.js';
import { applyInBatches } from './projection-batch-applier.js';
import { ensureProjectionSchema } from './projection-schema.js';
import { toD1Statements } from './projection-statement.js';
import { type RebuildRow, type RebuildStatus, rebuildStatusOf } from './projection-status.js';

/** Wall time one rebuild step keeps reading pages before handing over to a continuation message. */
export const STEP_TIME_BUDGET_MS = 10_000;

/** D1 calls one rebuild step makes at most (a Worker invocation may make 1,000; the rest is headroom). */
export const STEP_QUERY_BUDGET = 600;

/** The queue message that carries a rebuild forward, one batch at a time. */
export interface RebuildContinuation {
  readonly escfRebuild: {
    readonly projection: string;
    readonly generation: number;
    readonly cursor: number;
    /** A delayed message that resumes the rebuild if no step has moved it for a while (the step that should have did not finish). */
    readonly watchdog?: boolean;
  };
}

/** How long a running rebuild may go without progress before its watchdog message resumes it. */
export const REBUILD_WATCHDOG_SECONDS = 30;

export function isRebuildContinuation(body: unknown): body is RebuildContinuation {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as RebuildContinuation).escfRebuild?.generation === 'number'
  );
}

/** The optional hook a projection implements to empty its read model before a rebuild. */
export interface ResettableProjection {
  /** Returns the statements that empty the read model (e.g. `db.delete(users)`); they commit with the checkpoint reset. */
  resetReadModel(): unknown;
}

/**
 * Rebuilds a projection from the whole event log, many pages per step and
 * many events per D1 batch (see {@link applyInBatches}). The cursor lives in the projection's D1 (`escf_projection_rebuilds`), so a
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
    /** Pages one step applies at most (default: as many as its time and query budgets allow). */
    private readonly pagesPerStep = Number.POSITIVE_INFINITY,
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
    const statements = toD1Statements(
      this.db,
      await unlessQuery(reset.call(this.instance)),
      `${this.descriptor.name}.resetReadModel`,
    );
    const name = this.descriptor.name;
    const now = Date.now();
    const target = await this.logHead();
    await this.db.batch([
      ...statements,
      this.db.prepare('DELETE FROM escf_projection_streams WHERE projection = ?1').bind(name),
      this.db.prepare('DELETE FROM escf_projection_failures WHERE projection = ?1').bind(name),
      this.db.prepare('DELETE FROM escf_projection_rebuild_shards WHERE projection = ?1').bind(name),
      this.db.prepare('DELETE FROM escf_projection_shard_positions WHERE projection = ?1').bind(name),
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
    const row = await this.db
      .prepare('SELECT * FROM escf_projection_rebuilds WHERE projection = ?1')
      .bind(this.descriptor.name)
      .first<RebuildRow>();
    return rebuildStatusOf(row);
  }

  /**
   * Applies the next batches of the log, page after page, for up to
   * {@link STEP_TIME_BUDGET_MS} or {@link STEP_QUERY_BUDGET} D1 calls (one
   * Worker invocation may make 1,000), saving the cursor after every page so
   * an interrupted step resumes there. With `expected`, does nothing unless
   * the rebuild is still at that generation and cursor (a stale or repeated
   * continuation). Returns the new status and whether more pages follow.
   */
  async step(expected?: {
    generation: number;
    cursor: number;
  }): Promise<{ status: RebuildStatus | null; more: boolean }> {
    const current = await this.status();
    if (current?.status !== 'running') return { status: current, more: false };
    if (expected && (expected.generation !== current.generation || expected.cursor !== current.cursor))
      return { status: current, more: false };
    const started = Date.now();
    // One applier for the whole step: its checkpoint cache carries over from page to page.
    const applier = new ProjectionApplier(this.descriptor, this.instance, this.db, this.store);
    if (isShardedEventLog(this.store) && this.store.shardCount > 1)
      return this.stepShards(this.store, applier, current, started);
    let saved = current.cursor;
    let queries = 1;
    // The next page is read while this one is applied: reading and writing overlap.
    let page = this.readAhead(saved);
    for (let pages = 1; ; pages++) {
      const events = await page;
      const full = events.length >= this.batchSize;
      // Read ahead only when this step goes on: a read left running after the step returned could be cut off.
      const goesOn =
        full && pages < this.pagesPerStep && Date.now() - started < STEP_TIME_BUDGET_MS && queries < STEP_QUERY_BUDGET;
      if (goesOn) page = this.readAhead(events.at(-1)!.position!);
      let read = await this.apply(applier, events, saved);
      queries += read.queries + 1;
      let cursor = read.cursor;
      let applied = read.count;
      const done = !full;
      if (done && this.beforeDone) {
        if (!(await this.beforeDone(current.generation))) return { status: current, more: false };
        // Events committed to the log before the switch may have been delivered to the old database only.
        do {
          read = await this.apply(applier, await this.store.readAll({ after: cursor, limit: this.batchSize }), cursor);
          cursor = read.cursor;
          applied += read.count;
        } while (read.count >= this.batchSize);
      }
      if (!(await this.saveCursor(current.generation, saved, cursor, applied, done)))
        return { status: await this.status(), more: false };
      saved = cursor;
      if (done) return { status: await this.status(), more: false };
      if (!goesOn) return { status: await this.status(), more: true };
    }
  }

  /**
   * `step` over a sharded log: each page reads every shard after its
   * own cursor, in parallel, and applies them together (a stream lives in
   * one shard, and per-stream checkpoints order its events). The cursors are
   * saved per shard, with their sum as the rebuild's cursor, in one batch.
   */
  private async stepShards(
    store: ShardedEventLog,
    applier: ProjectionApplier,
    current: RebuildStatus,
    started: number,
  ): Promise<{ status: RebuildStatus | null; more: boolean }> {
    const cursors = await this.shardCursors(store.shardCount);
    let queries = 2;
    for (let pages = 1; ; pages++) {
      const read = () =>
        Promise.all(cursors.map((after, shard) => store.readShard(shard, { after, limit: this.batchSize })));
      const before = [...cursors];
      let perShard = await read();
      let applied = 0;
      let full = perShard.some((events) => events.length >= this.batchSize);
      const advance = async () => {
        const outcome = await this.apply(applier, perShard.flat(), 0);
        queries += outcome.queries + store.shardCount;
        applied += outcome.count;
        perShard.forEach((events, shard) => {
          if (events.length > 0) cursors[shard] = events.at(-1)!.position!;
        });
      };
      await advance();
      const done = !full;
      if (done && this.beforeDone) {
        if (!(await this.beforeDone(current.generation))) return { status: current, more: false };
        // Events committed before the switch may have been delivered to the old database only.
        do {
          perShard = await read();
          full = perShard.some((events) => events.length >= this.batchSize);
          await advance();
        } while (full);
      }
      if (!(await this.saveShardCursors(current.generation, before, cursors, applied, done)))
        return { status: await this.status(), more: false };
      if (done) return { status: await this.status(), more: false };
      const goesOn =
        pages < this.pagesPerStep && Date.now() - started < STEP_TIME_BUDGET_MS && queries < STEP_QUERY_BUDGET;
      if (!goesOn) return { status: await this.status(), more: true };
    }
  }

  /** The rebuild's cursor in each shard (0 where it has not read yet). */
  private async shardCursors(shards: number): Promise<number[]> {
    const { results } = await this.db
      .prepare('SELECT shard, cursor FROM escf_projection_rebuild_shards WHERE projection = ?1')
      .bind(this.descriptor.name)
      .all<{ shard: number; cursor: number }>();
    const cursors = Array.from({ length: shards }, () => 0);
    for (const row of results) if (row.shard < shards) cursors[row.shard] = row.cursor;
    return cursors;
  }

  /**
   * Moves every shard's cursor from `from` to `to` in one D1 batch: the
   * summary row moves only if its cursor (the sum) is still `from`'s, and
   * the shard rows only if it moved, so a repeated step changes nothing.
   */
  private async saveShardCursors(
    generation: number,
    from: readonly number[],
    to: readonly number[],
    applied: number,
    done: boolean,
  ): Promise<boolean> {
    const sum = (cursors: readonly number[]) => cursors.reduce((total, cursor) => total + cursor, 0);
    const name = this.descriptor.name;
    const now = Date.now();
    const [summary] = await this.db.batch([
      this.db
        .prepare(
          `UPDATE escf_projection_rebuilds SET cursor = ?1, applied = applied + ?2, status = ?3, updated_at = ?4, finished_at = ?5
           WHERE projection = ?6 AND generation = ?7 AND cursor = ?8 AND status = 'running'`,
        )
        .bind(sum(to), applied, done ? 'done' : 'running', now, done ? now : null, name, generation, sum(from)),
      this.db
        .prepare(
          `INSERT INTO escf_projection_rebuild_shards (projection, shard, cursor)
           SELECT ?1, key, value FROM json_each(?2)
           WHERE EXISTS (SELECT 1 FROM escf_projection_rebuilds WHERE projection = ?1 AND generation = ?3 AND cursor = ?4)
           ON CONFLICT (projection, shard) DO UPDATE SET cursor = excluded.cursor`,
        )
        .bind(name, JSON.stringify(to), generation, sum(to)),
    ]);
    return (summary?.meta.changes ?? 0) > 0;
  }

  /** Starts reading the page after `after`; if the step fails before using it, its failure is not reported twice. */
  private readAhead(after: number): Promise<EventEnvelope[]> {
    const page = this.store.readAll({ after, limit: this.batchSize });
    page.catch(() => {});
    return page;
  }

  /** Moves the cursor from `from` to `to`, unless someone else moved it (then returns false). */
  private async saveCursor(
    generation: number,
    from: number,
    to: number,
    applied: number,
    done: boolean,
  ): Promise<boolean> {
    const now = Date.now();
    const { meta } = await this.db
      .prepare(
        `UPDATE escf_projection_rebuilds SET cursor = ?1, applied = applied + ?2, status = ?3, updated_at = ?4, finished_at = ?5
         WHERE projection = ?6 AND generation = ?7 AND cursor = ?8 AND status = 'running'`,
      )
      .bind(to, applied, done ? 'done' : 'running', now, done ? now : null, this.descriptor.name, generation, from)
      .run();
    return meta.changes > 0;
  }

  /** Applies one page of the log, many events per D1 batch; returns the new cursor, how many events it held and its D1 calls. */
  private async apply(
    applier: ProjectionApplier,
    events: readonly EventEnvelope[],
    after: number,
  ): Promise<{ cursor: number; count: number; queries: number }> {
    const outcome = await applyInBatches(applier, this.db, this.descriptor.name, events);
    if (outcome.failures.length > 0) throw outcome.failures[0]!.error;
    return { cursor: events.at(-1)?.position ?? after, count: events.length, queries: outcome.queries + 1 };
  }
}
