import { CommandMetrics, type CommandMetricsSnapshot, commandOutcomeOf } from '@escf/core/internal';
import type { OutboxBacklog } from '../admin/outbox-backlog.js';
import type { RpcReply } from '../rpc/error-encoding.js';

/** What one aggregate Durable Object reports to the admin entrypoint's `metrics`. */
export interface AggregateInstanceMetrics {
  readonly aggregateType: string;
  readonly commands: CommandMetricsSnapshot;
  readonly outbox: OutboxBacklog;
}

/** The one table a Durable Object keeps its counters in (a JSON document per name). */
const METRICS_TABLE = 'escf_metrics';

/**
 * Counts the commands one aggregate Durable Object runs: by command, outcome
 * and code, with a latency histogram.
 *
 * Cost on the command path: a map increment in memory — no storage write.
 * The counts are written to the object's SQLite by {@link flush}, which the
 * host calls from its alarm (every commit with events arms one anyway), so
 * they survive eviction and restarts up to the last alarm. With an Analytics
 * Engine dataset configured, each command also writes one data point
 * (`writeDataPoint` is fire-and-forget: buffered by the runtime, never awaited).
 */
export class AggregateMetrics {
  private readonly commands = new CommandMetrics();
  private loaded = false;
  private dirty = false;

  constructor(
    private readonly sql: SqlStorage,
    private readonly aggregateType: string,
    private readonly enabled: boolean,
    /** The Analytics Engine dataset binding to write a data point per command to, if configured. */
    private readonly dataset: () => AnalyticsEngineDataset | undefined,
  ) {}

  /** Counts a command from its reply and start time, and returns the reply unchanged. */
  recorded<T>(command: unknown, reply: RpcReply<T>, startedAt: number): RpcReply<T> {
    if (!this.enabled) return reply;
    const code = reply.ok ? undefined : reply.error.code;
    // An unknown name is caller input: keep it out of the counter keys (unbounded cardinality).
    const name = code === 'UNKNOWN_COMMAND' || typeof command !== 'string' ? '(unknown)' : command;
    const ms = Math.max(0, Date.now() - startedAt);
    this.commands.record(name, code, ms);
    this.dirty = true;
    const dataset = this.dataset();
    if (dataset) {
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
    return reply;
  }

  /** Every count this object has kept (persisted ones plus those since the last flush). */
  snapshot(): CommandMetricsSnapshot {
    this.load();
    return this.commands.snapshot();
  }

  /** Writes the counts to the object's SQLite if they changed (called from the alarm, off the command path). */
  flush(): void {
    if (!this.dirty) return;
    this.load();
    this.sql.exec(`CREATE TABLE IF NOT EXISTS ${METRICS_TABLE} (name TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    this.sql.exec(
      `INSERT OR REPLACE INTO ${METRICS_TABLE} (name, value) VALUES ('commands', ?)`,
      JSON.stringify(this.commands.snapshot()),
    );
    this.dirty = false;
  }

  /** Adds what an earlier instance of this object persisted, once. */
  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    // Reads never create the table: an object that never flushed has nothing stored.
    const exists = this.sql
      .exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '${METRICS_TABLE}'`)
      .toArray().length;
    if (!exists) return;
    const row = this.sql
      .exec<{ value: string }>(`SELECT value FROM ${METRICS_TABLE} WHERE name = 'commands'`)
      .toArray()[0];
    if (row) this.commands.merge(JSON.parse(row.value) as CommandMetricsSnapshot);
  }
}
