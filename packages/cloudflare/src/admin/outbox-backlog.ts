/** How far one delivery target of an aggregate's outbox is behind. */
export interface OutboxTargetBacklog {
  /** `d1`, `queue:BINDING` or `service:BINDING`. */
  readonly target: string;
  /** The last version this target received. */
  readonly delivered: number;
  /** Committed events it has not received yet. */
  readonly pending: number;
}

/** An aggregate instance's outbox: its head version and every target's backlog. */
export interface OutboxBacklog {
  readonly version: number;
  readonly targets: readonly OutboxTargetBacklog[];
}

/** Computes the backlog from the head version, the delivery cursors and the configured targets. */
export function outboxBacklogOf(
  version: number,
  cursors: ReadonlyMap<string, number>,
  queues: readonly string[],
  services: readonly string[],
): OutboxBacklog {
  const targets = ['d1', ...queues.map((b) => `queue:${b}`), ...services.map((b) => `service:${b}`)];
  return {
    version,
    targets: targets.map((target) => {
      const delivered = cursors.get(target) ?? 0;
      return { target, delivered, pending: Math.max(0, version - delivered) };
    }),
  };
}
