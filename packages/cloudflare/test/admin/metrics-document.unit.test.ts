import { CommandMetrics } from '@escf/core/internal';
import { describe, expect, it } from 'vitest';
import { metricsDocumentOf } from '../../src/admin/metrics-document.js';
import { prometheusTextOf } from '../../src/metrics/prometheus-text.js';
import type { StuckStream } from '../../src/projection/projection-status.js';

const stuck = (deadLettered: boolean, attempts: number): StuckStream => ({
  stream: '/Order/o-1',
  version: 2,
  eventId: 'e-2',
  eventType: 'OrderPlaced',
  error: 'boom',
  attempts,
  deadLettered,
  updatedAt: 1,
});

function parts() {
  const commands = new CommandMetrics();
  commands.record('place', undefined, 3);
  commands.record('place', 'VALIDATION_FAILED', 1);
  const outbox = (pending: number, failing: boolean) => ({
    version: 4,
    targets: [
      { target: 'd1', delivered: 4, pending: 0, oldestPendingAt: null, oldestPendingAgeMs: 0, failing: null },
      {
        target: 'queue:Q',
        delivered: 4 - pending,
        pending,
        oldestPendingAt: pending ? 1_000 : null,
        oldestPendingAgeMs: pending ? 5_000 : 0,
        failing: failing
          ? { failingSince: 900, attempts: 7, lastError: 'down', lastErrorCode: null, lastFailureAt: 990 }
          : null,
      },
    ],
  });
  return {
    system: {
      name: 'shop',
      aggregates: [],
      projections: [],
      processes: [],
      queues: [{ name: 'mailer-events', consumer: 'mailer', deadLetterQueue: 'mailer-dlq' }],
    },
    at: 10_000,
    instances: [
      {
        address: { aggregateType: 'Order', aggregateId: 'o-1' },
        metrics: { aggregateType: 'Order', commands: commands.snapshot(), outbox: outbox(2, true) },
      },
      {
        address: { aggregateType: 'Order', aggregateId: 'o-2' },
        metrics: { aggregateType: 'Order', commands: commands.snapshot(), outbox: outbox(0, false) },
      },
      { address: { aggregateType: 'Order', aggregateId: 'o-3' }, metrics: null },
    ],
    logHead: 40,
    projections: [
      {
        name: 'orders',
        worker: 'w',
        delivery: 'queue' as const,
        logHead: 40,
        status: { name: 'orders', position: 38, streams: 3, stuck: [stuck(false, 3)], rebuild: null },
        lagEvents: 2,
        lagMs: 1_500,
      },
    ],
    processes: [
      {
        name: 'mailer',
        worker: 'w',
        delivery: 'queue' as const,
        deadLetterQueue: 'mailer-dlq',
        status: { name: 'mailer', ordering: 'none', position: 0, streams: 0, stuck: [stuck(true, 5)] },
      },
    ],
    archive: {
      configured: true,
      status: {
        d1: { rows: 5, events: 12, bytes: 100, firstPosition: 29, lastPosition: 40 },
        archive: { segments: 2, events: 28, ndjsonBytes: 900, gzipBytes: 300, lastPosition: 28 },
      },
      next: { rows: 1, events: 4, bytes: 40, byType: [], awaitingSnapshot: 0, more: false },
      lastRun: null,
    },
  };
}

describe('the metrics document', () => {
  it('sums instances, lists failing deliveries, and derives reactor, dead-letter and archive figures', () => {
    const doc = metricsDocumentOf(parts());
    expect(doc.instances).toEqual({ asked: 3, unreachable: 1, source: 'live' });
    expect(doc.aggregates[0]).toMatchObject({
      aggregateType: 'Order',
      commands: [
        { command: 'place', outcome: 'ok', code: null, count: 2 },
        { command: 'place', outcome: 'refused', code: 'VALIDATION_FAILED', count: 2 },
      ],
      latency: { count: 4, p50Ms: 1, p99Ms: 5 },
    });
    expect(doc.outbox.targets).toEqual([
      { target: 'd1', pending: 0, oldestPendingAgeMs: 0, instancesBehind: 0, instancesFailing: 0 },
      { target: 'queue:Q', pending: 2, oldestPendingAgeMs: 5_000, instancesBehind: 1, instancesFailing: 1 },
    ]);
    expect(doc.outbox.failing).toEqual([
      expect.objectContaining({ aggregateId: 'o-1', target: 'queue:Q', attempts: 7, pending: 2, failingSince: 900 }),
    ]);
    expect(doc.projections[0]).toMatchObject({ name: 'orders', position: 38, lagEvents: 2, stuckStreams: 1 });
    expect(doc.processes[0]).toMatchObject({
      name: 'mailer',
      stuckStreams: 1,
      deadLetteredStreams: 1,
      failedAttempts: 5,
    });
    expect(doc.deadLetterQueues).toEqual([{ queue: 'mailer-dlq', consumer: 'mailer', deadLetteredStreams: 1 }]);
    expect(doc.archive).toEqual({
      configured: true,
      archivedEvents: 28,
      archivedThrough: 28,
      eventsInD1: 12,
      eligibleEvents: 4,
    });
  });

  it('renders as Prometheus text with cumulative histogram buckets and escaped labels', () => {
    const input = parts();
    const commands = new CommandMetrics();
    commands.record('say "hi"\n', undefined, 30);
    input.instances[2] = {
      address: { aggregateType: 'Order', aggregateId: 'o-3' },
      metrics: { aggregateType: 'Order', commands: commands.snapshot(), outbox: { version: 0, targets: [] } },
    };
    const text = prometheusTextOf(metricsDocumentOf(input));
    expect(text).toContain('escf_commands_total{aggregate_type="Order",command="place",outcome="ok",code=""} 2');
    expect(text).toContain('command="say \\"hi\\"\\n"');
    expect(text).toContain('escf_command_duration_milliseconds_bucket{aggregate_type="Order",le="1"} 2');
    expect(text).toContain('escf_command_duration_milliseconds_bucket{aggregate_type="Order",le="5"} 4');
    expect(text).toContain('escf_command_duration_milliseconds_bucket{aggregate_type="Order",le="+Inf"} 5');
    expect(text).toContain('escf_outbox_oldest_pending_age_seconds{target="queue:Q"} 5');
    expect(text).toContain('escf_process_dead_lettered_streams{process="mailer"} 1');
    expect(text).toContain('escf_archive_archived_events 28');
    expect(text).not.toContain('escf_process_lag_events{'); // unknown values are left out, not written as 0
  });
});
