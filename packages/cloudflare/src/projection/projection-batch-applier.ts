import type { EventEnvelope } from '@escf/core';
import { followsOn, routedAfterOf } from '../delivery/routed-after.js';
import { forEachConcurrently } from './concurrently.js';
import type { ApplyOutcome, ProjectionApplier } from './projection-applier.js';
import { checkpointsStatement } from './projection-checkpoint.js';
import { ensureProjectionSchema } from './projection-schema.js';
import { groupByStream } from './stream-of-event.js';

/**
 * Statements per D1 batch. D1 documents no cap on a batch's length; a batch
 * is one call (one of the 1,000 queries a Worker invocation may make) and
 * one transaction, so it is kept well below the 30 s query limit and small
 * enough that a conflict retried one event at a time stays cheap.
 */
export const MAX_STATEMENTS_PER_BATCH = 1_000;

/** Events per D1 batch: bounds the checkpoint array (about 100 bytes an event, far below D1's 2 MB per value). */
export const MAX_EVENTS_PER_BATCH = 1_000;

/** How many streams' gaps are read from the event store at once. */
const GAP_READ_CONCURRENCY = 8;

/** The first event of a stream that could not be applied; later versions of that stream were not applied either. */
export interface StreamFailure {
  readonly key: string;
  readonly event: EventEnvelope;
  readonly error: unknown;
}

/** What {@link applyInBatches} did. */
export interface BatchOutcome {
  /** Events given that were applied (versions read from the log to fill a gap are not counted). */
  readonly applied: number;
  /** Events given that were already applied. */
  readonly duplicates: number;
  readonly failures: readonly StreamFailure[];
  /** D1 calls it made (checkpoint reads, gap reads, batches), for an invocation's query budget. */
  readonly queries: number;
}

/** One event waiting in the pending batch, with its handlers' statements. */
interface Pending {
  readonly key: string;
  readonly event: EventEnvelope;
  /** The version the stream's checkpoint is at before this event. */
  readonly after: number;
  readonly statements: readonly D1PreparedStatement[];
}

/**
 * Applies many events, of many streams, in few D1 batches: each batch holds
 * the handlers' statements of up to {@link MAX_STATEMENTS_PER_BATCH}
 * statements' worth of events plus ONE statement that writes every stream's
 * checkpoint, row by row in version order (a JSON array read with
 * `json_each`: one bound parameter whatever the count, under D1's 100). The
 * checkpoint triggers still check each row is exactly the next version, so a
 * batch that races another delivery of any of its events rolls back whole;
 * that batch is then applied again one event at a time by
 * {@link ProjectionApplier.apply}, which skips what the other delivery
 * applied. The effect stays exactly once, and an interrupted run resumes
 * from the checkpoints.
 *
 * Handlers declared `async` may read the read model, so the pending batch is
 * committed before one is called; plain handlers only return statements and
 * share batches.
 */
export async function applyInBatches(
  applier: ProjectionApplier,
  db: D1Database,
  projection: string,
  events: readonly EventEnvelope[],
  options: { readonly expectNext?: boolean } = {},
): Promise<BatchOutcome> {
  if (options.expectNext) {
    const committed = await applyAsNext(applier, db, projection, events);
    if (committed) return committed;
  }
  let applied = 0;
  let duplicates = 0;
  let queries = 0;
  const failures: StreamFailure[] = [];
  // Per stream, the version that failed: it and later versions are not applied; earlier ones are.
  const failedAt = new Map<string, number>();
  const fail = (key: string, event: EventEnvelope, error: unknown): void => {
    failedAt.set(key, event.version);
    failures.push({ key, event, error });
  };
  const blocked = (p: { key: string; event: EventEnvelope }): boolean =>
    p.event.version >= (failedAt.get(p.key) ?? Number.POSITIVE_INFINITY);

  // Only events given count as applied; versions read from the log to fill a gap do not.
  const given = new Set(events.map((e) => e.id));
  const groups = groupByStream(events, (e) => e);
  await applier.preload([...groups.keys()]);
  queries++;

  // Per stream: the versions after the checkpoint, contiguous, gaps read from the log.
  const plans: Array<{ key: string; events: EventEnvelope[]; after: number }> = [];
  await forEachConcurrently([...groups], GAP_READ_CONCURRENCY, async ([key, group]) => {
    const checkpoint = await applier.checkpoint(key);
    const fresh: EventEnvelope[] = [];
    for (const event of group) {
      if (event.version <= (fresh.at(-1)?.version ?? checkpoint)) duplicates++;
      else fresh.push(event);
    }
    if (fresh.length === 0) return;
    // Contiguous, or apart only by versions the outbox never routed here (no gap to read).
    const contiguous = fresh.every((event, index) => followsOn(event, fresh[index - 1]?.version ?? checkpoint));
    if (contiguous) {
      plans.push({ key, events: fresh, after: checkpoint });
      return;
    }
    try {
      // The log is the truth: take the whole range from it (one read), up to the last delivered version.
      const last = fresh.at(-1)!;
      queries++;
      plans.push({ key, events: [...(await applier.missingBefore(last, key, checkpoint)), last], after: checkpoint });
    } catch (error) {
      fail(key, fresh[0]!, error);
    }
  });
  // Deterministic order: as delivered (by the first event's position when known).
  const order = new Map([...groups.keys()].map((key, index) => [key, index]));
  plans.sort((a, b) => order.get(a.key)! - order.get(b.key)!);

  let pending: Pending[] = [];
  let pendingStatements = 0;
  // One batch in flight while the next one is built: handlers run while D1 writes. Batches still
  // commit in order, since each is sent only after the one before it has settled.
  let inFlight: Promise<void> = Promise.resolve();

  const commit = async (batch: readonly Pending[]): Promise<void> => {
    queries++;
    try {
      await db.batch([
        checkpointsStatement(db, projection, batch),
        ...batch.flatMap((p) => p.statements),
        clearFailuresStatement(db, projection, batch),
        ...(await applier.shardPositionStatements(batch.map((p) => p.event))),
      ]);
      for (const p of batch) applier.remember(p.key, p.event.version);
      applied += batch.filter((p) => given.has(p.event.id)).length;
    } catch {
      // A racing delivery (checkpoint conflict) or one failing statement: redo this batch one event at a time,
      // which skips what is already applied and pins any failure on its own stream.
      for (const p of batch) applier.remember(p.key, undefined);
      for (const p of batch) {
        if (blocked(p)) continue;
        try {
          queries += 2;
          const outcome: ApplyOutcome = await applier.apply(p.event);
          if (outcome === 'duplicate') duplicates++;
          else if (given.has(p.event.id)) applied++;
        } catch (error) {
          fail(p.key, p.event, error);
        }
      }
    }
  };

  /** Sends the pending batch once the one in flight has settled; with `wait`, also waits for it to commit. */
  const flush = async (wait = false): Promise<void> => {
    await inFlight;
    // A stream that failed (in the batch before, or while this one was built) stops at its failing version.
    const batch = pending.filter((p) => !blocked(p));
    pending = [];
    pendingStatements = 0;
    if (batch.length > 0) inFlight = commit(batch);
    if (wait) await inFlight;
  };

  for (const plan of plans) {
    let after = plan.after;
    for (const event of plan.events) {
      if (failedAt.has(plan.key)) break;
      if (applier.readsBeforeReturning(event)) await flush(true);
      let statements: D1PreparedStatement[];
      try {
        statements = await applier.handlerStatements(event, plan.key);
      } catch (error) {
        fail(plan.key, event, error);
        break;
      }
      if (pendingStatements + statements.length > MAX_STATEMENTS_PER_BATCH || pending.length >= MAX_EVENTS_PER_BATCH)
        await flush();
      pending.push({ key: plan.key, event, statements, after });
      after = event.version;
      pendingStatements += statements.length;
    }
  }
  await flush(true);
  return { applied, duplicates, failures, queries };
}

/**
 * Live deliveries (the outbox's RPC calls, queue batches) nearly always
 * carry each stream's next versions: the outbox sends a subscriber every
 * event after the last one it accepted. So, before reading any checkpoint,
 * commit them as exactly that — one D1 call instead of a checkpoint read
 * plus a batch. The checkpoint triggers still decide: if some stream is not
 * where the delivery expects (a duplicate, a gap, a racing delivery) or a
 * statement fails, the whole batch rolls back and this returns `null`, and
 * the caller applies the events the careful way (read checkpoints, skip
 * duplicates, fill gaps). Events of `async` handlers, and deliveries larger
 * than one batch, go the careful way at once.
 */
async function applyAsNext(
  applier: ProjectionApplier,
  db: D1Database,
  projection: string,
  events: readonly EventEnvelope[],
): Promise<BatchOutcome | null> {
  if (events.length === 0 || events.length > MAX_EVENTS_PER_BATCH) return null;
  await ensureProjectionSchema(db);
  const batch: Pending[] = [];
  let statements = 0;
  for (const [key, group] of groupByStream(events, (e) => e)) {
    const first = group[0]!;
    // The version the stream's checkpoint is at if this is its next delivery.
    let after = routedAfterOf(first) ?? first.version - 1;
    for (const event of group) {
      if (!followsOn(event, after) || applier.readsBeforeReturning(event)) return null;
      let handlerStatements: D1PreparedStatement[];
      try {
        handlerStatements = await applier.handlerStatements(event, key);
      } catch {
        return null; // the careful way records the failure on its stream
      }
      statements += handlerStatements.length;
      if (statements > MAX_STATEMENTS_PER_BATCH) return null;
      batch.push({ key, event, after, statements: handlerStatements });
      after = event.version;
    }
  }
  try {
    await db.batch([
      checkpointsStatement(db, projection, batch),
      ...batch.flatMap((p) => p.statements),
      clearFailuresStatement(db, projection, batch),
      ...(await applier.shardPositionStatements(batch.map((p) => p.event))),
    ]);
  } catch {
    return null;
  }
  for (const p of batch) applier.remember(p.key, p.event.version);
  return { applied: batch.length, duplicates: 0, failures: [], queries: 1 };
}

/** Clears the failure record of every stream the batch moved past. */
function clearFailuresStatement(db: D1Database, projection: string, batch: readonly Pending[]): D1PreparedStatement {
  const last = new Map<string, number>();
  for (const p of batch) last.set(p.key, p.event.version);
  return db
    .prepare(
      `DELETE FROM escf_projection_failures WHERE projection = ?1
       AND EXISTS (SELECT 1 FROM json_each(?2) WHERE json_extract(value, '$[0]') = stream AND json_extract(value, '$[1]') >= version)`,
    )
    .bind(projection, JSON.stringify([...last]));
}
