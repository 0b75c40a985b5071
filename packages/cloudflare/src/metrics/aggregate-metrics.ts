import { CommandMetrics, type CommandMetricsSnapshot, commandOutcomeOf } from '@escf/core/internal';
import type { OutboxBacklog } from '../admin/outbox-backlog.js';
import type { RpcReply } from '../rpc/error-encoding.js';

/** What one aggregate Durable Object reports to the admin entrypoint's `metrics`. */
export interface AggregateInstanceMetrics {
  readonly aggregateType: string;
  readonly commands: CommandMetricsSnapshot;
  readonly outbox: OutboxBacklog;
}

/** Where an object's counts are persisted: its `AggregateStorage` (the one owner of the object's tables). */
export interface CommandMetricsStore {
  /** The persisted counts (JSON), or null when none were. */
  readCommandMetrics(): string | null;
  writeCommandMetrics(json: string): void;
}

/** How often, at most, an object writes its counts by default (ms). */
export const METRICS_PERSIST_INTERVAL_MS = 30_000;

/**
 * Counts the commands one aggregate Durable Object runs: by command, outcome
 * and code, with a latency histogram.
 *
 * Cost on the command path: two map lookups and a histogram bucket increment
 * in memory — no allocation once a command/code pair was seen, no storage
 * write, no clock read besides the command's own start and end. The counts
 * are written to the object's SQLite by {@link persist}, which the host calls
 * from its alarm (every commit with events arms one anyway) at most once per
 * persist interval; counts left over after the last write of a burst are
 * written by one timer when the interval is over, so they survive eviction
 * and restarts. Each write also folds the counts into the system-wide D1
 * rollup (one upsert per object per interval, never per command). With an
 * Analytics Engine dataset configured, each command also writes one data
 * point (`writeDataPoint` is fire-and-forget: buffered by the runtime, never
 * awaited).
 */
export class AggregateMetrics {
  private readonly commands = new CommandMetrics();
  private loaded = false;
  private dirty = false;
  /** When this instance last wrote its counts (0: not yet, so the first alarm writes). */
  private persistedAt = 0;
  private tailTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly store: CommandMetricsStore,
    private readonly aggregateType: string,
    private readonly enabled: boolean,
    /** The Analytics Engine dataset binding to write a data point per command to, if configured. */
    private readonly dataset: (() => AnalyticsEngineDataset | undefined) | undefined,
    private readonly persistIntervalMs: number = METRICS_PERSIST_INTERVAL_MS,
    private readonly now: () => number = Date.now,
    /** Folds the counts into the system-wide rollup (D1), after each write; never throws. */
    private readonly rollUp: ((commands: CommandMetricsSnapshot) => Promise<void>) | undefined = undefined,
  ) {}

  /** Something else the rollup carries changed (the outbox backlog): the next persist writes even without new commands. */
  markChanged(): void {
    if (this.enabled) this.dirty = true;
  }

  /** Counts a command from its reply and start time, and returns the reply unchanged. */
  recorded<T>(command: unknown, reply: RpcReply<T>, startedAt: number): RpcReply<T> {
    if (!this.enabled) return reply;
    const code = reply.ok ? undefined : reply.error.code;
    // An unknown name is caller input: keep it out of the counter keys (unbounded cardinality).
    const name = code === 'UNKNOWN_COMMAND' || typeof command !== 'string' ? '(unknown)' : command;
    const ms = Math.max(0, Date.now() - startedAt);
    this.commands.record(name, code, ms);
    this.dirty = true;
    if (this.dataset !== undefined) this.writeDataPoint(name, code, ms);
    return reply;
  }

  /** Every count this object has kept (persisted ones plus those since the last write). */
  snapshot(): CommandMetricsSnapshot {
    this.load();
    return this.commands.snapshot();
  }

  /**
   * Writes the counts to the object's SQLite if they changed and the last
   * write is at least one persist interval old (called from the alarm, off
   * the command path); otherwise makes sure one timer writes them when the
   * interval is over.
   */
  persist(): Promise<void> | undefined {
    if (!this.dirty) return undefined;
    const dueIn = this.persistedAt + this.persistIntervalMs - this.now();
    if (dueIn <= 0) return this.write();
    this.tailTimer ??= setTimeout(() => this.writeTail(), dueIn);
    return undefined;
  }

  private writeTail(): void {
    this.tailTimer = undefined;
    if (this.dirty) void this.write();
  }

  private write(): Promise<void> | undefined {
    this.load();
    const snapshot = this.commands.snapshot();
    this.store.writeCommandMetrics(JSON.stringify(snapshot));
    this.dirty = false;
    this.persistedAt = this.now();
    return this.rollUp?.(snapshot);
  }

  private writeDataPoint(name: string, code: string | undefined, ms: number): void {
    const dataset = this.dataset?.();
    if (!dataset) return;
    try {
      dataset.writeDataPoint({
        indexes: [this.aggregateType],
        blobs: [this.aggregateType, name, commandOutcomeOf(code), code ?? ''],
        doubles: [1, ms],
      });
    } catch {
      // Analytics must never fail a command.
    }
  }

  /** Adds what an earlier instance of this object persisted, once. */
  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    const persisted = this.store.readCommandMetrics();
    if (persisted !== null) this.commands.merge(JSON.parse(persisted) as CommandMetricsSnapshot);
  }
}
