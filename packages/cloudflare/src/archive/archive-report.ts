/** What one archive run did. */
export interface ArchiveRunReport {
  /** Events moved from D1 into committed segments by this run. */
  readonly events: number;
  /** D1 rows (batches) deleted by this run. */
  readonly rows: number;
  /** Segments committed by this run (including ones found already written by a crashed run). */
  readonly segments: number;
  /** Segments a crashed run had already written to R2, verified and reused. */
  readonly reusedSegments: number;
  /** Bytes of events (as stored in D1) moved. */
  readonly d1Bytes: number;
  /** Compressed bytes written to R2. */
  readonly r2Bytes: number;
  /** Durable Object events deleted after archiving (`pruneDurableObjects`). */
  readonly prunedDurableObjectEvents: number;
  /** Snapshots taken before pruning (`keepSinceSnapshot`). */
  readonly snapshotsTaken: number;
  /** True when the run stopped at its per-run budget and more is eligible: run again. */
  readonly more: boolean;
  /** Things an operator should know (e.g. a snapshot policy without a snapshot source). */
  readonly warnings: readonly string[];
  /** What D1 and the archive hold after the run. */
  readonly status: ArchiveStatus;
  readonly startedAt: number;
  readonly finishedAt: number;
  /** Each shard's run, by shard number (a sharded event store's archiver only). */
  readonly shards?: readonly ArchiveRunReport[];
}

/** What the hot store and the archive hold. */
export interface ArchiveStatus {
  readonly d1: {
    readonly rows: number;
    readonly events: number;
    readonly bytes: number;
    readonly firstPosition: number | null;
    readonly lastPosition: number | null;
  };
  readonly archive: {
    readonly segments: number;
    readonly events: number;
    readonly ndjsonBytes: number;
    readonly gzipBytes: number;
    readonly lastPosition: number | null;
  };
  /**
   * Each shard's status, by shard number (a sharded event store's archiver only). Positions
   * are per shard, so the totals above then give no positions (`null`): read them here.
   */
  readonly shards?: readonly ArchiveStatus[];
}

/** What the next archive run would move, computed without moving, snapshotting or writing anything. */
export interface ArchivePreview {
  /** D1 rows (batches), events and bytes the next run would archive (within its row budget). */
  readonly rows: number;
  readonly events: number;
  readonly bytes: number;
  readonly byType: readonly {
    readonly aggregateType: string;
    readonly rows: number;
    readonly events: number;
    readonly bytes: number;
    readonly oldestPosition: number;
  }[];
  /** Streams under `keepSinceSnapshot` that a run would snapshot first (a preview takes no snapshot, so they are not counted above). */
  readonly awaitingSnapshot: number;
  /** True when more than one run's budget is eligible. */
  readonly more: boolean;
  /** Each shard's preview, by shard number (a sharded event store's archiver only; `oldestPosition` above is then the lowest of the shards' own positions). */
  readonly shards?: readonly ArchivePreview[];
}
