import type { MetricsDocument } from '../admin/metrics-document.js';

type Labels = Readonly<Record<string, string>>;

/**
 * The metrics document in the Prometheus text exposition format (0.0.4),
 * for a scraper pointed at the admin entrypoint's `GET /metrics`. Gauges
 * and counters only as of the instances asked (see {@link MetricsDocument}).
 */
export function prometheusTextOf(doc: MetricsDocument): string {
  const out: string[] = [];
  const family = (name: string, type: 'counter' | 'gauge' | 'histogram', help: string) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  };
  const sample = (name: string, labels: Labels, value: number | null) => {
    if (value === null || !Number.isFinite(value)) return;
    const text = Object.entries(labels)
      .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
      .join(',');
    out.push(`${name}${text ? `{${text}}` : ''} ${value}`);
  };

  family('escf_commands_total', 'counter', 'Commands run, by aggregate type, command, outcome and error code.');
  for (const a of doc.aggregates)
    for (const c of a.commands)
      sample(
        'escf_commands_total',
        { aggregate_type: a.aggregateType, command: c.command, outcome: c.outcome, code: c.code ?? '' },
        c.count,
      );
  family('escf_command_duration_milliseconds', 'histogram', 'Command latency as seen by the Durable Object, in ms.');
  for (const a of doc.aggregates) {
    let cumulative = 0;
    a.latency.counts.forEach((n, i) => {
      cumulative += n;
      const le = i < a.latency.boundsMs.length ? String(a.latency.boundsMs[i]) : '+Inf';
      sample('escf_command_duration_milliseconds_bucket', { aggregate_type: a.aggregateType, le }, cumulative);
    });
    sample('escf_command_duration_milliseconds_sum', { aggregate_type: a.aggregateType }, a.latency.sumMs);
    sample('escf_command_duration_milliseconds_count', { aggregate_type: a.aggregateType }, a.latency.count);
  }
  family('escf_outbox_pending_events', 'gauge', 'Committed events not yet delivered, per outbox target.');
  for (const t of doc.outbox.targets) sample('escf_outbox_pending_events', { target: t.target }, t.pending);
  family('escf_outbox_oldest_pending_age_seconds', 'gauge', 'Age of the oldest undelivered event, per outbox target.');
  for (const t of doc.outbox.targets)
    sample('escf_outbox_oldest_pending_age_seconds', { target: t.target }, t.oldestPendingAgeMs / 1000);
  family('escf_outbox_failing_instances', 'gauge', 'Aggregate instances whose last delivery to the target failed.');
  for (const t of doc.outbox.targets) sample('escf_outbox_failing_instances', { target: t.target }, t.instancesFailing);
  family('escf_outbox_failing_attempts', 'gauge', 'Failed attempts in a row of a failing delivery.');
  for (const f of doc.outbox.failing)
    sample(
      'escf_outbox_failing_attempts',
      { target: f.target, aggregate_type: f.aggregateType, aggregate_id: f.aggregateId },
      f.attempts,
    );
  family('escf_log_head_position', 'gauge', 'The global position of the last event in the D1 log.');
  sample('escf_log_head_position', {}, doc.logHead);
  for (const [kind, list] of [
    ['projection', doc.projections],
    ['process', doc.processes],
  ] as const) {
    family(`escf_${kind}_lag_events`, 'gauge', `Events in the log the ${kind} has not applied.`);
    for (const r of list) sample(`escf_${kind}_lag_events`, { [kind]: r.name }, r.lagEvents);
    family(`escf_${kind}_lag_seconds`, 'gauge', `Age of the oldest event the ${kind} has not applied.`);
    for (const r of list)
      sample(`escf_${kind}_lag_seconds`, { [kind]: r.name }, r.lagMs === null ? null : r.lagMs / 1000);
    family(`escf_${kind}_stuck_streams`, 'gauge', `Streams whose first failing event keeps failing in the ${kind}.`);
    for (const r of list) sample(`escf_${kind}_stuck_streams`, { [kind]: r.name }, r.stuckStreams);
    family(`escf_${kind}_dead_lettered_streams`, 'gauge', `Streams the ${kind} gave up to its dead-letter queue.`);
    for (const r of list) sample(`escf_${kind}_dead_lettered_streams`, { [kind]: r.name }, r.deadLetteredStreams);
    family(`escf_${kind}_failed_attempts`, 'gauge', `Failed attempts recorded on the ${kind}'s stuck streams.`);
    for (const r of list) sample(`escf_${kind}_failed_attempts`, { [kind]: r.name }, r.failedAttempts);
  }
  family('escf_archive_archived_events', 'gauge', 'Events archived to R2.');
  sample('escf_archive_archived_events', {}, doc.archive.archivedEvents);
  family('escf_archive_eligible_events', 'gauge', 'Events the next archive run would archive.');
  sample('escf_archive_eligible_events', {}, doc.archive.eligibleEvents);
  return `${out.join('\n')}\n`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
