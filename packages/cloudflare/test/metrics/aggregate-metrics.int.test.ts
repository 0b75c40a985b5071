import { runDurableObjectAlarm } from 'cloudflare:test';
import { type LogRecord, setLogger } from '@escf/core';
import { eventually } from '@escf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { User } from '../../../../test/fixtures/user.js';
import type { OutboxBacklog } from '../../src/admin/outbox-backlog.js';
import { aggregateClients } from '../../src/index.js';
import type { AggregateInstanceMetrics } from '../../src/metrics/aggregate-metrics.js';
import { ada, aggregates, doSql, inObject, OPERATOR, stubOf, testEnv, uniqueId } from '../helpers.js';
import { failingTargetClock } from '../worker.js';

const FAULTS_TABLE = 'escf_events_faults';
const failing = aggregateClients({ user: { aggregate: User, binding: 'FAILING_TARGET_USER_AGGREGATE' } });

const metricsOf = (stub: DurableObjectStub) =>
  (stub as unknown as { metrics(): Promise<AggregateInstanceMetrics> }).metrics();

function captureLogs(): LogRecord[] {
  const records: LogRecord[] = [];
  setLogger((record) => records.push(record));
  return records;
}

afterEach(() => {
  setLogger(undefined);
  failingTargetClock.offsetMs = 0;
});

describe('aggregate metrics', () => {
  it('counts commands by outcome and code with their latency, and persists the counts with the alarm', async () => {
    const id = uniqueId('metrics');
    const user = aggregates(testEnv).user(id);
    await user.create({ ...ada });
    await user.update({ name: 'Ada 2' });
    await expect(user.create({ ...ada })).rejects.toMatchObject({ code: 'USER_EXISTS' });
    await expect(user.authenticate({ password: 'wrong password' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(user.create({ name: '', email: 'not an email', password: '' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const stub = stubOf(testEnv.USER_AGGREGATE, id);
    const { commands } = await metricsOf(stub);
    expect(commands.commands).toEqual(
      expect.arrayContaining([
        { command: 'create', outcome: 'ok', code: null, count: 1 },
        { command: 'update', outcome: 'ok', code: null, count: 1 },
        { command: 'create', outcome: 'refused', code: 'USER_EXISTS', count: 1 },
        { command: 'authenticate', outcome: 'refused', code: 'UNAUTHORIZED', count: 1 },
        { command: 'create', outcome: 'refused', code: 'VALIDATION_FAILED', count: 1 },
      ]),
    );
    expect(commands.latency.count).toBe(5);
    expect(commands.latency.counts.reduce((a, b) => a + b, 0)).toBe(5);

    // No storage write per command: the counts reach SQLite only when the alarm runs.
    await runDurableObjectAlarm(stub);
    const [row] = await doSql<{ value: string }>(stub, "SELECT value FROM escf_metrics WHERE name = 'commands'");
    expect(JSON.parse(row!.value).latency.count).toBe(5);
  });

  it('writes the counts (and its row of the D1 rollup) at most once per persist interval, and the last ones by a timer without another command', async () => {
    const id = uniqueId('metrics-interval');
    const user = failing(testEnv, { principal: OPERATOR }).user(id);
    const stub = stubOf(testEnv.FAILING_TARGET_USER_AGGREGATE, id);
    const stored = async () => {
      const [row] = await doSql<{ value: string }>(stub, "SELECT value FROM escf_metrics WHERE name = 'commands'");
      return row ? (JSON.parse(row.value) as { latency: { count: number } }).latency.count : 0;
    };
    const rolledUp = async () => {
      const row = await testEnv.ESCF_EVENTS.prepare(
        "SELECT commands, outbox FROM escf_metrics_rollup WHERE aggregate_type = 'User' AND aggregate_id = ? AND tenant_id = ''",
      )
        .bind(id)
        .first<{ commands: string; outbox: string }>();
      return row
        ? {
            count: (JSON.parse(row.commands) as { latency: { count: number } }).latency.count,
            failing: (JSON.parse(row.outbox) as OutboxBacklog).targets.filter((t) => t.failing !== null).length,
          }
        : null;
    };
    await user.create({ ...ada });
    await runDurableObjectAlarm(stub);
    expect(await stored()).toBe(1); // the instance's first alarm writes
    expect(await rolledUp()).toEqual({ count: 1, failing: 1 }); // and folds it, with its failing target, into D1
    await user.update({ name: 'Ada 2' });
    await user.update({ name: 'Ada 3' });
    await runDurableObjectAlarm(stub);
    expect(await stored()).toBe(1); // within the interval (1 s here): no write, however many alarms run
    expect(await rolledUp()).toMatchObject({ count: 1 });
    expect((await metricsOf(stub)).commands.latency.count).toBe(3); // counted in memory all the same
    // The interval over, the counts are written although no command or alarm came.
    await eventually(async () => {
      expect(await stored()).toBe(3);
      expect(await rolledUp()).toMatchObject({ count: 3 });
      return true;
    });
  });

  it('makes a target that always fails visible: failing since, attempts, last error, backlog and escalating logs', async () => {
    const id = uniqueId('always-failing');
    const user = failing(testEnv, { principal: OPERATOR }).user(id);
    const stub = stubOf(testEnv.FAILING_TARGET_USER_AGGREGATE, id);
    await metricsOf(stub); // start the instance so its bindings can be swapped before any command runs
    const points: AnalyticsEngineDataPoint[] = [];
    await inObject(stub, (_state, instance) => {
      instance.env = Object.assign(Object.create(instance.env) as Record<string, unknown>, {
        METRICS_DATASET: { writeDataPoint: (point: AnalyticsEngineDataPoint) => points.push(point) },
      });
    });
    const logs = captureLogs();
    await user.create({ ...ada });
    await user.update({ name: 'Ada 2' });
    expect(points.map((p) => p.blobs)).toEqual([
      ['User', 'create', 'ok', ''],
      ['User', 'update', 'ok', ''],
    ]);

    // Retries within the first minute are debug lines; a streak that reaches a minute, then ten, is an error each time.
    for (let attempt = 0; attempt < 3; attempt++) await runDurableObjectAlarm(stub);
    failingTargetClock.offsetMs = 61_000;
    await runDurableObjectAlarm(stub);
    await runDurableObjectAlarm(stub);
    failingTargetClock.offsetMs = 11 * 60_000;
    await runDurableObjectAlarm(stub);
    const { outbox } = await metricsOf(stub);
    const target = outbox.targets.find((t) => t.target === 'service:FAILING_SUBSCRIBER')!;
    expect(target).toMatchObject({
      pending: 3,
      failing: { attempts: expect.any(Number), lastError: expect.stringContaining('down for good') },
    });
    expect(target.failing!.attempts).toBeGreaterThanOrEqual(6);
    expect(target.failing!.failingSince).toBeLessThanOrEqual(Date.now());
    expect(target.oldestPendingAt).toBeGreaterThan(0);
    // D1 works: only the failing target is behind.
    expect(outbox.targets.find((t) => t.target === 'd1')).toMatchObject({ pending: 0, failing: null });

    const failures = logs.filter((r) => r.target === 'service:FAILING_SUBSCRIBER');
    expect(failures.filter((r) => r.level === 'warn')).toHaveLength(1); // the first failure
    expect(failures.filter((r) => r.level === 'error')).toEqual([
      expect.objectContaining({
        message: 'outbox delivery keeps failing',
        code: 'DELIVERY_FAILING',
        failingForMs: expect.any(Number),
      }),
      expect.objectContaining({ message: 'outbox delivery keeps failing', code: 'DELIVERY_FAILING' }),
    ]);
    expect(failures.filter((r) => r.level === 'error')[0]!.failingForMs).toBeGreaterThanOrEqual(60_000);
    expect(failures.filter((r) => r.level === 'debug').length).toBeGreaterThan(0); // retries in between

    // The streak is in the object's SQLite: a restarted instance still knows since when it fails.
    const [row] = await doSql<{ attempts: number }>(
      stub,
      "SELECT attempts FROM escf_outbox_health WHERE target = 'service:FAILING_SUBSCRIBER'",
    );
    expect(row!.attempts).toBe(target.failing!.attempts);
  });

  it('shows the backlog growing while D1 is down and draining after, and logs the recovery', async () => {
    const id = uniqueId('d1-down-metrics');
    const user = aggregates(testEnv).faultyUser(id);
    const stub = stubOf(testEnv.FAULTY_USER_AGGREGATE, id);
    const logs = captureLogs();
    await testEnv.ESCF_EVENTS.prepare(`ALTER TABLE ${FAULTS_TABLE} RENAME TO ${FAULTS_TABLE}_offline`).run();
    try {
      await user.create({ ...ada });
      await runDurableObjectAlarm(stub);
      const before = (await metricsOf(stub)).outbox.targets.find((t) => t.target === 'd1')!;
      await user.update({ name: 'Ada 2' });
      await runDurableObjectAlarm(stub);
      const during = (await metricsOf(stub)).outbox.targets.find((t) => t.target === 'd1')!;
      expect(during.pending).toBeGreaterThan(before.pending);
      expect(during.failing).toMatchObject({ failingSince: before.failing!.failingSince });
      expect(during.failing!.attempts).toBeGreaterThan(before.failing!.attempts);
    } finally {
      await testEnv.ESCF_EVENTS.prepare(`ALTER TABLE ${FAULTS_TABLE}_offline RENAME TO ${FAULTS_TABLE}`).run();
    }
    await runDurableObjectAlarm(stub);
    const after = (await metricsOf(stub)).outbox.targets;
    expect(after.every((t) => t.pending === 0 && t.failing === null && t.oldestPendingAgeMs === 0)).toBe(true);
    expect(logs).toContainEqual(
      expect.objectContaining({ message: 'outbox delivery recovered', code: 'DELIVERY_RECOVERED', target: 'd1' }),
    );
    expect(await doSql(stub, 'SELECT * FROM escf_outbox_health')).toEqual([]);
  });
});
