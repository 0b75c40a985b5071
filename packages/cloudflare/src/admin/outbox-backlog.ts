import type { FailingTarget } from '../outbox/delivery-health.js';

/** How far one delivery target of an aggregate's outbox is behind, and whether it is failing. */
export interface OutboxTargetBacklog {
  /** `d1`, `queue:BINDING` or `service:BINDING`. */
  readonly target: string;
  /** The last version this target received. */
  readonly delivered: number;
  /** Committed events it has not received yet. */
  readonly pending: number;
  /** When the oldest event it has not received was committed (ms since the epoch); `null` when caught up. */
  readonly oldestPendingAt: number | null;
  /** Age of that event now, in ms; 0 when caught up. */
  readonly oldestPendingAgeMs: number;
  /** The current failure streak, or `null` when its last delivery worked. */
  readonly failing: Omit<FailingTarget, 'target'> | null;
}

/** An aggregate instance's outbox: its head version and every target's backlog. */
export interface OutboxBacklog {
  readonly version: number;
  readonly targets: readonly OutboxTargetBacklog[];
}

/** What {@link outboxBacklogOf} reads from the aggregate's storage. */
export interface OutboxFacts {
  readonly version: number;
  readonly cursors: ReadonlyMap<string, number>;
  readonly queues: readonly string[];
  readonly services: readonly string[];
  /** The commit time of the event after `delivered`, if there is one. */
  readonly committedAfter: (delivered: number) => number | null;
  readonly failing: readonly FailingTarget[];
  readonly now: number;
}

/** Computes the backlog from the head version, the delivery cursors, the configured targets and their failure streaks. */
export function outboxBacklogOf(facts: OutboxFacts): OutboxBacklog {
  const { version, cursors, now } = facts;
  const targets = ['d1', ...facts.queues.map((b) => `queue:${b}`), ...facts.services.map((b) => `service:${b}`)];
  return {
    version,
    targets: targets.map((target) => {
      const delivered = cursors.get(target) ?? 0;
      const pending = Math.max(0, version - delivered);
      const oldestPendingAt = pending > 0 ? facts.committedAfter(delivered) : null;
      const streak = facts.failing.find((f) => f.target === target);
      return {
        target,
        delivered,
        pending,
        oldestPendingAt,
        oldestPendingAgeMs: oldestPendingAt === null ? 0 : Math.max(0, now - oldestPendingAt),
        failing: streak
          ? {
              failingSince: streak.failingSince,
              attempts: streak.attempts,
              lastError: streak.lastError,
              lastErrorCode: streak.lastErrorCode,
              lastFailureAt: streak.lastFailureAt,
            }
          : null,
      };
    }),
  };
}
