import { env } from 'cloudflare:workers';
import { eventually } from '@escf/testing';
import { describe, expect, it } from 'vitest';
import type { AdminRpc, MetricsDocument } from '../../src/admin/index.js';
import { aggregateClients } from '../../src/index.js';
import { unwrapReply } from '../../src/internal.js';
import { Counter } from '../projection/counter-domain.js';
import type { Env } from './worker.js';

const testEnv = env as unknown as Env;
const read = { token: testEnv.ESCF_ADMIN_READ_TOKEN, actor: 'reader@test' };
const write = { token: testEnv.ESCF_ADMIN_WRITE_TOKEN, actor: 'operator@test' };
const admin = testEnv.ADMIN as unknown as AdminRpc & Fetcher;
const clients = aggregateClients({ counter: { aggregate: Counter, binding: 'COUNTER_AGGREGATE' } });

let n = 0;
const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++n}`;
const counterAt = (aggregateId: string) => ({ aggregateType: 'Counter', aggregateId });
const okCount = (doc: MetricsDocument) =>
  doc.aggregates
    .find((a) => a.aggregateType === 'Counter')
    ?.commands.filter((c) => c.command === 'count' && c.outcome === 'ok')
    .reduce((n, c) => n + c.count, 0) ?? 0;

describe('admin entrypoint: metrics', () => {
  it('counts commands by outcome and code, and shows a failing delivery, projection lag and a stuck stream until they recover', async () => {
    const healthy = uniqueId('metrics-ok');
    const poisoned = uniqueId('metrics-poison');
    const counter = clients(testEnv, { sync: true }).counter(healthy);
    await counter.count({ by: 1 });
    await counter.count({ by: 2 });
    await expect(counter.count({ by: 1.5 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await testEnv.TALLY_DB.prepare('INSERT INTO poison (id) VALUES (?)').bind(poisoned).run();
    await clients(testEnv, { sync: true }).counter(poisoned).count({ by: 1 });
    await expect(clients(testEnv, { sync: true }).counter(poisoned).poke({})).rejects.toMatchObject({
      code: 'DELIVERY_PENDING',
    });

    const instances = [counterAt(healthy), counterAt(poisoned)];
    const doc = unwrapReply(await admin.metrics(read, { instances }));
    expect(doc.instances).toEqual({ asked: 2, unreachable: 0, source: 'live' });
    const counts = doc.aggregates.find((a) => a.aggregateType === 'Counter')!;
    expect(counts.commands).toEqual(
      expect.arrayContaining([
        { command: 'count', outcome: 'ok', code: null, count: 3 },
        { command: 'count', outcome: 'refused', code: 'VALIDATION_FAILED', count: 1 },
        { command: 'poke', outcome: 'pending', code: 'DELIVERY_PENDING', count: 1 },
      ]),
    );
    expect(counts.latency.count).toBe(5);
    expect(counts.latency.p50Ms).toEqual(expect.any(Number));

    // The poisoned event: the projection's delivery keeps failing, the stream is stuck, the projection lags.
    expect(doc.outbox.failing).toEqual([
      expect.objectContaining({
        ...counterAt(poisoned),
        target: 'service:TALLY',
        pending: 1,
        attempts: expect.any(Number),
        lastError: expect.stringContaining('poisoned'),
      }),
    ]);
    expect(doc.outbox.targets.find((t) => t.target === 'service:TALLY')).toMatchObject({
      pending: 1,
      instancesBehind: 1,
      instancesFailing: 1,
    });
    const tally = doc.projections.find((p) => p.name === 'tally')!;
    expect(tally.stuckStreams).toBeGreaterThanOrEqual(1);
    expect(tally.lagEvents).toBeGreaterThanOrEqual(1);
    expect(doc.deadLetterQueues).toEqual([{ queue: 'notifier-dlq', consumer: 'notifier', deadLetteredStreams: 0 }]);
    expect(doc.archive).toMatchObject({ configured: false, archivedEvents: null });

    // Fixed: the outbox's next retry delivers, the stream is retried, and the failure disappears.
    await testEnv.TALLY_DB.prepare('DELETE FROM poison WHERE id = ?').bind(poisoned).run();
    unwrapReply(await admin.retryStuck(write, { projection: 'tally' }));
    await eventually(async () => {
      const after = unwrapReply(await admin.metrics(read, { instances }));
      expect(after.outbox.failing).toEqual([]);
      expect(after.outbox.targets.every((t) => t.pending === 0)).toBe(true);
      return true;
    });
  });

  it('covers every instance of the system by default (more than the 200 a live read may ask), from the D1 rollup', async () => {
    const before = unwrapReply(await admin.metrics(read));
    const okBefore = okCount(before);
    const ids = Array.from({ length: 230 }, (_, i) => uniqueId(`rollup-${i}`));
    for (let i = 0; i < ids.length; i += 23) {
      await Promise.all(ids.slice(i, i + 23).map((id) => clients(testEnv).counter(id).count({ by: 1 })));
    }
    // Each instance folds its counts into the rollup when its alarm runs (one upsert per instance, not per command).
    const doc = await eventually(
      async () => {
        const after = unwrapReply(await admin.metrics(read));
        return after.instances.asked >= before.instances.asked + 230 && okCount(after) >= okBefore + 230 ? after : null;
      },
      { timeoutMs: 60_000 },
    );
    expect(doc.instances).toMatchObject({ source: 'rollup', unreachable: 0 });
    const rows = await testEnv.ESCF_EVENTS.prepare(
      "SELECT COUNT(*) AS n FROM escf_metrics_rollup WHERE aggregate_type = 'Counter' AND aggregate_id LIKE 'rollup-%'",
    ).first<{ n: number }>();
    expect(rows!.n).toBeGreaterThanOrEqual(230);
    // Asked live, the same document covers at most 200 instances.
    expect(unwrapReply(await admin.metrics(read, { recent: 500 })).instances).toMatchObject({
      asked: 200,
      source: 'live',
    });
  }, 120_000);

  it('serves the document over HTTP as JSON and as Prometheus text, to an authenticated reader only', async () => {
    const id = uniqueId('metrics-http');
    await clients(testEnv, { sync: true }).counter(id).count({ by: 1 });
    const get = (path: string, headers: Record<string, string> = {}) =>
      admin.fetch(`http://admin${path}`, { headers: { authorization: `Bearer ${read.token}`, ...headers } });

    const json = await get('/metrics?recent=5');
    expect(json.status).toBe(200);
    const doc = ((await json.json()) as { ok: true; value: MetricsDocument }).value;
    expect(doc.system).toBe('admin-test');
    expect(doc.instances.asked).toBeGreaterThanOrEqual(1);

    // Prometheus text of the whole system (the rollup, which the counter's alarm has written by now).
    const body = await eventually(async () => {
      const text = await get('/metrics', { accept: 'text/plain' });
      expect(text.status).toBe(200);
      expect(text.headers.get('content-type')).toContain('text/plain');
      const body = await text.text();
      return body.includes('aggregate_type="Counter",command="count",outcome="ok"') ? body : null;
    });
    expect(body).toContain('# TYPE escf_commands_total counter');
    expect(body).toMatch(/escf_commands_total\{aggregate_type="Counter",command="count",outcome="ok",code=""\} \d+/);
    expect(body).toContain('escf_command_duration_milliseconds_bucket{aggregate_type="Counter",le="+Inf"}');
    expect(body).toMatch(/escf_projection_stuck_streams\{projection="tally"\} \d+/);

    expect((await admin.fetch('http://admin/metrics?format=prometheus')).status).toBe(401);
    expect(await admin.metrics({ token: 'nope' })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(await admin.metrics(read, { instances: 'all' as never })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
  });
});
