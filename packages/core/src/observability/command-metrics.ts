/**
 * How a command ended: `ok` (committed), `refused` (an ESCF error with a
 * stable code: validation, a business rule, a version conflict…), `pending`
 * (committed, delivery not confirmed: `DELIVERY_PENDING`) or `failed` (an
 * unexpected error: `INTERNAL`).
 */
export type CommandOutcome = 'ok' | 'refused' | 'pending' | 'failed';

/** Upper bounds (ms, inclusive) of the command latency histogram's buckets; a last bucket takes the rest. */
export const COMMAND_LATENCY_BOUNDS_MS: readonly number[] = [
  1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000,
];

/** One counter of commands: how often `command` ended with `outcome` (and `code`, unless ok). */
export interface CommandCount {
  readonly command: string;
  readonly outcome: CommandOutcome;
  /** The ESCF error code; `null` for `ok`. */
  readonly code: string | null;
  readonly count: number;
}

/** Command latency as a histogram with cumulative-free bucket counts (Prometheus-style buckets are derived). */
export interface LatencyHistogram {
  /** Upper bounds in ms; `counts` has one more entry (the overflow bucket). */
  readonly boundsMs: readonly number[];
  readonly counts: readonly number[];
  readonly count: number;
  readonly sumMs: number;
}

/** What {@link CommandMetrics} counted, as plain JSON (stored, sent over RPC, merged). */
export interface CommandMetricsSnapshot {
  readonly commands: readonly CommandCount[];
  readonly latency: LatencyHistogram;
}

/** The outcome of a command from the code it failed with (`undefined`: it succeeded). */
export function commandOutcomeOf(code: string | undefined): CommandOutcome {
  if (code === undefined) return 'ok';
  if (code === 'DELIVERY_PENDING') return 'pending';
  return code === 'INTERNAL' ? 'failed' : 'refused';
}

/** One mutable counter of {@link CommandMetrics}. */
interface CommandCounter {
  readonly command: string;
  readonly outcome: CommandOutcome;
  readonly code: string | null;
  count: number;
}

/**
 * In-memory command counters and a latency histogram. Recording is a map
 * lookups and a few increments (no allocation after a key's first use, no I/O),
 * so a host can count every command for free and persist a snapshot when it
 * writes anyway.
 */
export class CommandMetrics {
  /** Counters by command, then by code (`''` for ok): two lookups, no key string built per command. */
  private readonly counts = new Map<string, Map<string, CommandCounter>>();
  private readonly buckets = new Array<number>(COMMAND_LATENCY_BOUNDS_MS.length + 1).fill(0);
  private count = 0;
  private sumMs = 0;

  /** Counts one command that ended with `code` (`undefined` when it succeeded) after `ms` milliseconds. */
  record(command: string, code: string | undefined, ms: number): void {
    this.counter(command, code ?? null).count += 1;
    let i = 0;
    while (i < COMMAND_LATENCY_BOUNDS_MS.length && ms > COMMAND_LATENCY_BOUNDS_MS[i]!) i++;
    this.buckets[i]! += 1;
    this.count += 1;
    this.sumMs += ms;
  }

  /** Adds another snapshot's counts (an earlier persisted one, or another instance's). */
  merge(snapshot: CommandMetricsSnapshot | null | undefined): this {
    if (!snapshot) return this;
    for (const c of snapshot.commands) this.counter(c.command, c.code).count += c.count;
    const { boundsMs, counts } = snapshot.latency;
    if (boundsMs.length === COMMAND_LATENCY_BOUNDS_MS.length) {
      counts.forEach((n, i) => {
        this.buckets[i]! += n;
      });
      this.count += snapshot.latency.count;
      this.sumMs += snapshot.latency.sumMs;
    }
    return this;
  }

  private counter(command: string, code: string | null): CommandCounter {
    let byCode = this.counts.get(command);
    if (byCode === undefined) {
      byCode = new Map();
      this.counts.set(command, byCode);
    }
    const key = code ?? '';
    let counter = byCode.get(key);
    if (counter === undefined) {
      counter = { command, outcome: commandOutcomeOf(code ?? undefined), code, count: 0 };
      byCode.set(key, counter);
    }
    return counter;
  }

  /** The counts so far, as JSON. */
  snapshot(): CommandMetricsSnapshot {
    return {
      commands: [...this.counts.values()].flatMap((byCode) => [...byCode.values()].map((c) => ({ ...c }))),
      latency: {
        boundsMs: COMMAND_LATENCY_BOUNDS_MS,
        counts: [...this.buckets],
        count: this.count,
        sumMs: this.sumMs,
      },
    };
  }
}

/**
 * The latency under which a share `q` (0–1) of commands finished, estimated
 * from the histogram: the upper bound of the bucket holding that rank
 * (`null` with no commands; the last bound when it falls in the overflow bucket).
 */
export function latencyPercentile(histogram: LatencyHistogram, q: number): number | null {
  if (histogram.count === 0) return null;
  const rank = Math.ceil(Math.min(Math.max(q, 0), 1) * histogram.count);
  let seen = 0;
  for (let i = 0; i < histogram.counts.length; i++) {
    seen += histogram.counts[i]!;
    if (seen >= rank && seen > 0) return histogram.boundsMs[Math.min(i, histogram.boundsMs.length - 1)]!;
  }
  return histogram.boundsMs.at(-1)!;
}
