import { log } from '@escf/core/internal';
import type { StoredIdentity } from '../aggregate/aggregate-storage.js';

/** One delivery target that is failing now: since when, how often, and why. */
export interface FailingTarget {
  /** `d1`, `queue:BINDING` or `service:BINDING`. */
  readonly target: string;
  /** When the first failed attempt of this streak happened (ms since the epoch). */
  readonly failingSince: number;
  /** Failed drain passes in a row. */
  readonly attempts: number;
  /** The last failure's message (no event payloads). */
  readonly lastError: string;
  /** The last failure's ESCF code, when the error carried one. */
  readonly lastErrorCode: string | null;
  readonly lastFailureAt: number;
}

/** A failure of one target in one drain pass. */
export interface TargetFailure {
  readonly message: string;
  readonly code: string | null;
}

const HEALTH_TABLE = 'escf_outbox_health';

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
 * its SQLite so a target failing across restarts keeps its `failingSince` and
 * attempt count. Written only when a pass fails or a failing target
 * recovers: a healthy outbox never writes here.
 */
export class DeliveryHealth {
  private failingTargets: Map<string, FailingTarget> | null = null;
  /** The escalation level last logged per failing target (in memory: a restarted object logs its level once more). */
  private readonly escalated = new Map<string, number>();

  constructor(
    private readonly sql: SqlStorage,
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
        this.ensureTable();
        this.sql.exec(
          `INSERT OR REPLACE INTO ${HEALTH_TABLE} (target, failing_since, attempts, last_error, last_error_code, last_failure_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
          target,
          next.failingSince,
          next.attempts,
          next.lastError,
          next.lastErrorCode,
          next.lastFailureAt,
        );
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
        this.sql.exec(`DELETE FROM ${HEALTH_TABLE} WHERE target = ?`, target);
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
    if (this.failingTargets) return this.failingTargets;
    this.failingTargets = new Map();
    const exists = this.sql
      .exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '${HEALTH_TABLE}'`)
      .toArray().length;
    if (!exists) return this.failingTargets;
    for (const row of this.sql
      .exec<{
        target: string;
        failing_since: number;
        attempts: number;
        last_error: string;
        last_error_code: string | null;
        last_failure_at: number;
      }>(`SELECT * FROM ${HEALTH_TABLE}`)
      .toArray()) {
      this.failingTargets.set(row.target, {
        target: row.target,
        failingSince: row.failing_since,
        attempts: row.attempts,
        lastError: row.last_error,
        lastErrorCode: row.last_error_code,
        lastFailureAt: row.last_failure_at,
      });
    }
    return this.failingTargets;
  }

  private ensureTable(): void {
    this.sql.exec(
      `CREATE TABLE IF NOT EXISTS ${HEALTH_TABLE} (target TEXT PRIMARY KEY, failing_since INTEGER NOT NULL, attempts INTEGER NOT NULL,
         last_error TEXT NOT NULL, last_error_code TEXT, last_failure_at INTEGER NOT NULL)`,
    );
  }
}

function locate(identity: StoredIdentity) {
  return {
    aggregateType: identity.aggregateType,
    aggregateId: identity.aggregateId,
    ...(identity.tenantId === undefined ? {} : { tenantId: identity.tenantId }),
  };
}
