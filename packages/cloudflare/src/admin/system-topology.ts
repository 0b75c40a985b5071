/**
 * What the code generator knows about a system and the runtime cannot
 * discover: which worker hosts what, how events travel, who consumes which
 * queue. `escf generate` writes it into the event-store worker's generated
 * entry; {@link adminEntrypoint} serves it with the registry's own metadata.
 */
export interface SystemTopology {
  readonly name: string;
  readonly aggregates: readonly AggregateTopology[];
  readonly reactors: readonly ReactorTopology[];
}

/** Where one aggregate type lives. */
export interface AggregateTopology {
  readonly type: string;
  /** Its Durable Object namespace binding in the admin's worker, e.g. `USER_AGGREGATE`. */
  readonly binding: string;
  readonly worker: string;
}

/** One projection or process. */
export interface ReactorTopology {
  readonly kind: 'projection' | 'process';
  readonly name: string;
  readonly worker: string;
  /** `sync`: the outbox calls it directly; `queue`: it consumes `queue`. */
  readonly delivery: 'queue' | 'sync';
  readonly queue?: string;
  readonly deadLetterQueue?: string;
  /** Event types it handles. */
  readonly events: readonly string[];
  /** A service binding to it in the admin's worker (for status, retry, rebuild), when there is one. */
  readonly adminBinding?: string;
  /** Aggregate types it sends commands to. */
  readonly commands?: readonly string[];
}
