import { log } from '@escf/core/internal';
import type { AggregateStorage, StoredFailingTarget, StoredIdentity } from '../aggregate/aggregate-storage.js';

/** One delivery target that is failing now: since when, how often, and why (as {@link AggregateStorage} keeps it). */
export type FailingTarget = StoredFailingTarget;

/** A failure of one target in one drain pass. */
export interface TargetFailure {
  readonly message: string;
  readonly code: string | null;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * How serious a failure streak of `failingForMs` is: 0 under a minute, then
 * 1 (≥ 1 min), 2 (≥ 10 min), 3 (≥ 1 h) and one more per further 6 hours. A
 * streak is logged as an error each time it reaches a new level — by time,
 * not by attempts, because commands drain too and a burst of them can fail
 * many times in a second. Between levels a retry is a debug line, so a
 * target that is down for a day writes a handful of error lines, not thousands.
 */
export function escalationLevel(failingForMs: number): number {
  if (failingForMs < MINUTE) return 0;
  if (failingForMs < 10 * MINUTE) return 1;
  if (failingForMs < HOUR) return 2;
  return 3 + Math.floor((failingForMs - HOUR) / (6 * HOUR));
}

/**
 * The failure streak of each outbox target of one aggregate instance, kept in
 * its SQLite (through {@link AggregateStorage}) so a target failing across restarts keeps its `failingSince` and
 * attempt count. Written only when a pass fails or a failing target
 * recovers: a healthy outbox never writes here.
 */
export class DeliveryHealth {
  private failingTargets: Map<string, FailingTarget> | null = null;
  /** The escalation level last logged per failing target (in memory: a restarted object logs its level once more). */
  private readonly escalated = new Map<string, number>();

  constructor(
    private readonly storage: AggregateStorage,
    private readonly now: () => number = Date.now,
  ) {}

  /** Targets failing now (empty when every delivery works). Reads only. */
  failing(): FailingTarget[] {
    return [...this.state().values()];
  }

  /** Records one drain pass: `failed` holds the targets that failed in it; every other target of `targets` worked. */
  afterPass(
    identity: StoredIdentity | null,
    targets: readonly string[],
    failed: ReadonlyMap<string, TargetFailure>,
  ): void {
    const state = this.state();
    if (failed.size === 0 && state.size === 0) return; // the healthy path: no read, no write
    const now = this.now();
    const where = identity === null ? {} : locate(identity);
    for (const target of targets) {
      const failure = failed.get(target);
      const before = state.get(target);
      if (failure) {
        const next: FailingTarget = {
          target,
          failingSince: before?.failingSince ?? now,
          attempts: (before?.attempts ?? 0) + 1,
          lastError: failure.message.slice(0, 1000),
          lastErrorCode: failure.code,
          lastFailureAt: now,
        };
        state.set(target, next);
        this.storage.writeFailingTarget(next);
        const fields = {
          code: 'DELIVERY_FAILED',
          ...where,
          target,
          attempt: next.attempts,
          failingSince: new Date(next.failingSince).toISOString(),
          failingForMs: now - next.failingSince,
          error: next.lastError,
          ...(next.lastErrorCode === null ? {} : { errorCode: next.lastErrorCode }),
        };
        const level = escalationLevel(now - next.failingSince);
        if (next.attempts === 1) log({ level: 'warn', message: 'outbox delivery failed; retrying', ...fields });
        else if (level > (this.escalated.get(target) ?? 0)) {
          this.escalated.set(target, level);
          log({ level: 'error', message: 'outbox delivery keeps failing', ...fields, code: 'DELIVERY_FAILING' });
        } else log({ level: 'debug', message: 'outbox delivery failed again; retrying', ...fields });
      } else if (before) {
        state.delete(target);
        this.escalated.delete(target);
        this.storage.deleteFailingTarget(target);
        log({
          level: now - before.failingSince >= MINUTE ? 'warn' : 'info',
          message: 'outbox delivery recovered',
          code: 'DELIVERY_RECOVERED',
          ...where,
          target,
          attempt: before.attempts,
          failedForMs: now - before.failingSince,
        });
      }
    }
  }

  /** The streaks, loaded once from storage. */
  private state(): Map<string, FailingTarget> {
    this.failingTargets ??= new Map(this.storage.readFailingTargets().map((failing) => [failing.target, failing]));
    return this.failingTargets;
  }
}

function locate(identity: StoredIdentity) {
  return {
    aggregateType: identity.aggregateType,
    aggregateId: identity.aggregateId,
    ...(identity.tenantId === undefined ? {} : { tenantId: identity.tenantId }),
  };
}
