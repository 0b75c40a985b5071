import type { AggregateAddress } from './aggregate-address.js';
import type { AggregateStorage, CurrentState } from './aggregate-storage.js';

/** What an aggregate host's `retain` RPC is asked to do (by retention, e.g. `durableObjectRetention`). */
export interface RetainRequest {
  readonly address: AggregateAddress;
  /** Delete local events up to this version (they are archived). Omit to only snapshot. */
  readonly pruneThrough?: number;
  /**
   * Required with `pruneThrough`: where the pruned history lives (JSON, e.g.
   * binding names), handed back to the host's `prunedHistory` reader when
   * its snapshot is stale.
   */
  readonly history?: object;
}

/** What `retain` did. */
export interface RetainResult {
  /** The version of the snapshot now stored (the current version). */
  readonly snapshotVersion: number;
  /** Local events deleted. */
  readonly pruned: number;
  /** Every local event up to this version is gone (0 = none). */
  readonly prunedThrough: number;
}

/**
 * Retention inside one aggregate's Durable Object: snapshots the current
 * state and, with `pruneThrough` and `history`, deletes local events that
 * the snapshot covers and every outbox target has (see {@link AggregateStorage.retain}).
 */
export function retainInStorage(
  storage: AggregateStorage,
  current: CurrentState,
  request: RetainRequest,
): RetainResult {
  const prune =
    request.pruneThrough === undefined || !request.history
      ? undefined
      : { throughVersion: request.pruneThrough, source: request.history };
  return { snapshotVersion: current.version, ...storage.retain(current, prune) };
}
