import { type CommandCount, CommandMetrics, type LatencyHistogram, latencyPercentile } from '@escf/core/internal';
import type { AggregateInstanceMetrics } from '../metrics/aggregate-metrics.js';
import type { StuckStream } from '../projection/projection-status.js';
import type { ArchiveOverview, ProcessHealth, ProjectionHealth, StreamAddress, SystemMap } from './admin-types.js';

/** Command latency with percentiles estimated from its histogram (bucket upper bounds, ms). */
export interface LatencySummary extends LatencyHistogram {
  readonly p50Ms: number | null;
  readonly p90Ms: number | null;
  readonly p99Ms: number | null;
}

/** Commands of one aggregate type, summed over the instances asked. */
export interface AggregateTypeMetrics {
  readonly aggregateType: string;
  readonly commands: readonly CommandCount[];
  readonly latency: LatencySummary;
}

/** One outbox delivery target, summed over the instances asked. */
export interface OutboxTargetMetrics {
  readonly target: string;
  /** Committed events not yet delivered to it. */
  readonly pending: number;
  /** Age of the oldest of them, in ms (0 when caught up). */
  readonly oldestPendingAgeMs: number;
  /** Instances with events pending for it. */
  readonly instancesBehind: number;
  /** Instances whose last delivery to it failed. */
  readonly instancesFailing: number;
}

/** An instance whose delivery to a target keeps failing. */
export interface FailingDelivery extends StreamAddress {
  readonly target: string;
  readonly failingSince: number;
  readonly attempts: number;
  readonly pending: number;
  readonly lastError: string;
  readonly lastErrorCode: string | null;
}

/** A projection's or process's delivery health. */
export interface ReactorMetrics {
  readonly name: string;
  /** Highest global position applied (ordered reactors), when known. */
  readonly position: number | null;
  /** Events in the log it has not applied (projections), when known. */
  readonly lagEvents: number | null;
  /** Age of the oldest of them, in ms, when known. */
  readonly lagMs: number | null;
  /** Streams whose first failing event keeps failing. */
  readonly stuckStreams: number;
  /** Of those, streams given up to the dead-letter queue. */
  readonly deadLetteredStreams: number;
  /** Failed attempts recorded on the stuck streams. */
  readonly failedAttempts: number;
  /** Why its status could not be read, if so. */
  readonly error?: string;
}

/** Everything the admin entrypoint's `metrics` reports, as one JSON document. */
export interface MetricsDocument {
  readonly system: string;
  /** When it was read (ms since the epoch). */
  readonly at: number;
  /**
   * Command counts and outbox backlogs live in each aggregate's Durable
   * Object: these are summed over `asked` instances — by default every
   * instance's row of the D1 rollup (`source: 'rollup'`, each written at
   * most once per persist interval), or, asked live (`source: 'live'`), the
   * instances named in the request or the `recent` most recently active ones.
   */
  readonly instances: { readonly asked: number; readonly unreachable: number; readonly source: 'rollup' | 'live' };
  readonly aggregates: readonly AggregateTypeMetrics[];
  readonly outbox: { readonly targets: readonly OutboxTargetMetrics[]; readonly failing: readonly FailingDelivery[] };
  readonly logHead: number;
  readonly projections: readonly ReactorMetrics[];
  readonly processes: readonly ReactorMetrics[];
  /** Per dead-letter queue: the streams its consumer recorded as dead-lettered (Queues exposes no depth to Workers). */
  readonly deadLetterQueues: readonly {
    readonly queue: string;
    readonly consumer: string;
    readonly deadLetteredStreams: number;
  }[];
  readonly archive: {
    readonly configured: boolean;
    /** Events archived to R2 so far, and the last global position archived. */
    readonly archivedEvents: number | null;
    readonly archivedThrough: number | null;
    /** Events still in D1, and how many the next run would archive. */
    readonly eventsInD1: number | null;
    readonly eligibleEvents: number | null;
  };
}

/** What {@link metricsDocumentOf} is built from (each part read by the admin API). */
export interface MetricsParts {
  readonly system: SystemMap;
  readonly at: number;
  readonly instances: readonly { readonly address: StreamAddress; readonly metrics: AggregateInstanceMetrics | null }[];
  /** Where the instances' figures come from: the D1 rollup, or asked live. */
  readonly source?: 'rollup' | 'live';
  readonly logHead: number;
  readonly projections: readonly ProjectionHealth[];
  readonly processes: readonly ProcessHealth[];
  readonly archive: ArchiveOverview;
}

/** Sums per-instance counts and derives the reactor and archive figures. */
export function metricsDocumentOf(parts: MetricsParts): MetricsDocument {
  const byType = new Map<string, CommandMetrics>();
  const targets = new Map<
    string,
    { pending: number; oldestPendingAgeMs: number; instancesBehind: number; instancesFailing: number }
  >();
  const failing: FailingDelivery[] = [];
  let unreachable = 0;
  for (const { address, metrics } of parts.instances) {
    if (!metrics) {
      unreachable += 1;
      continue;
    }
    const commands = byType.get(metrics.aggregateType) ?? new CommandMetrics();
    byType.set(metrics.aggregateType, commands.merge(metrics.commands));
    for (const t of metrics.outbox.targets) {
      const sum = targets.get(t.target) ?? {
        pending: 0,
        oldestPendingAgeMs: 0,
        instancesBehind: 0,
        instancesFailing: 0,
      };
      sum.pending += t.pending;
      sum.oldestPendingAgeMs = Math.max(sum.oldestPendingAgeMs, t.oldestPendingAgeMs);
      if (t.pending > 0) sum.instancesBehind += 1;
      if (t.failing) {
        sum.instancesFailing += 1;
        failing.push({ ...address, target: t.target, pending: t.pending, ...t.failing });
      }
      targets.set(t.target, sum);
    }
  }
  const dead = (stuck: readonly StuckStream[]) => stuck.filter((s) => s.deadLettered).length;
  const reactorMetrics = new Map<string, ReactorMetrics>();
  const projections = parts.projections.map((p): ReactorMetrics => {
    const stuck = p.status?.stuck ?? [];
    const m: ReactorMetrics = {
      name: p.name,
      position: p.status?.position ?? null,
      lagEvents: p.lagEvents,
      lagMs: p.lagMs,
      stuckStreams: stuck.length,
      deadLetteredStreams: dead(stuck),
      failedAttempts: stuck.reduce((n, s) => n + s.attempts, 0),
      ...(p.error === undefined ? {} : { error: p.error }),
    };
    reactorMetrics.set(p.name, m);
    return m;
  });
  const processes = parts.processes.map((p): ReactorMetrics => {
    const status = p.status as { position?: number; stuck?: readonly StuckStream[] } | null;
    const stuck = Array.isArray(status?.stuck) ? status.stuck : [];
    const m: ReactorMetrics = {
      name: p.name,
      position: typeof status?.position === 'number' ? status.position : null,
      lagEvents: null,
      lagMs: null,
      stuckStreams: stuck.length,
      deadLetteredStreams: dead(stuck),
      failedAttempts: stuck.reduce((n, s) => n + s.attempts, 0),
      ...(p.error === undefined ? {} : { error: p.error }),
    };
    reactorMetrics.set(p.name, m);
    return m;
  });
  const { archive } = parts;
  return {
    system: parts.system.name,
    at: parts.at,
    instances: { asked: parts.instances.length, unreachable, source: parts.source ?? 'live' },
    aggregates: [...byType].map(([aggregateType, commands]) => {
      const { commands: counts, latency } = commands.snapshot();
      return {
        aggregateType,
        commands: counts,
        latency: {
          ...latency,
          p50Ms: latencyPercentile(latency, 0.5),
          p90Ms: latencyPercentile(latency, 0.9),
          p99Ms: latencyPercentile(latency, 0.99),
        },
      };
    }),
    outbox: { targets: [...targets].map(([target, sum]) => ({ target, ...sum })), failing },
    logHead: parts.logHead,
    projections,
    processes,
    deadLetterQueues: parts.system.queues
      .filter((q) => q.deadLetterQueue !== null)
      .map((q) => ({
        queue: q.deadLetterQueue!,
        consumer: q.consumer,
        deadLetteredStreams: reactorMetrics.get(q.consumer)?.deadLetteredStreams ?? 0,
      })),
    archive: {
      configured: archive.configured,
      archivedEvents: archive.status?.archive.events ?? null,
      archivedThrough: archive.status?.archive.lastPosition ?? null,
      eventsInD1: archive.status?.d1.events ?? null,
      eligibleEvents: archive.next?.events ?? null,
    },
  };
}
