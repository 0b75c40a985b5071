import { type CollectedSpan, type OtlpReceiver, startOtlpReceiver } from '@escf/testing/system';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUsersSystem, type UsersSystem } from './e2e/users-system.js';

// The users system with tracing on (escf.config.ts `tracing`, endpoint set per worker as
// an environment would), exporting to an OTLP/HTTP receiver in this test.

let receiver: OtlpReceiver;
let system: UsersSystem;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const bindings = { bindings: { ESCF_OTLP_ENDPOINT: receiver.url } };
  system = await startUsersSystem({ workers: { api: bindings, users: bindings, sessions: bindings, email: bindings } });
}, 120_000);
afterAll(async () => {
  await system?.stop();
  await receiver?.stop();
});

let n = 0;
const randomHex = (bytes: number) =>
  [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');

/** Signs a user up under a trace the test starts (as a caller with its own tracing would). */
async function signUpTraced(): Promise<{ traceId: string; callerSpanId: string; status: number; id: string }> {
  const traceId = randomHex(16);
  const callerSpanId = randomHex(8);
  const response = await system.fetch('/users', {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${callerSpanId}-01` },
    body: JSON.stringify({ name: 'Ada', email: `ada-trace-${++n}@example.com`, password: 'correct horse battery' }),
  });
  const body = (await response.json()) as { id: string };
  return { traceId, callerSpanId, status: response.status, id: body.id };
}

const named = (spans: readonly CollectedSpan[], name: string) => spans.filter((s) => s.name === name);
const one = (spans: readonly CollectedSpan[], name: string) => {
  const found = named(spans, name);
  expect(
    found.map((s) => s.name),
    `span '${name}' in ${spans.map((s) => s.name).join(', ')}`,
  ).toHaveLength(1);
  return found[0]!;
};

describe('tracing: one trace per sign-up', () => {
  it('covers HTTP → command → commit → D1 → projections → queue → email process, with ESCF attributes', async () => {
    const { traceId, callerSpanId, status, id } = await signUpTraced();
    expect(status).toBe(201);

    const isEffect = (s: CollectedSpan) =>
      s.name === 'escf.process.handle send-email-verification' &&
      (s.attributes['escf.event.types'] as string[]).includes('UserEmailVerificationIssued');
    const spans = await receiver.waitFor(
      (all) => all.filter((s) => s.traceId === traceId),
      (trace) =>
        trace.some(isEffect) &&
        trace.filter((s) => s.name.startsWith('escf.projection.apply')).length === 2 &&
        [
          'POST /users',
          'escf.command User.create',
          'escf.d1.append',
          'escf.service.deliver USERS',
          'escf.service.deliver SESSIONS',
          'escf.queue.send SEND_EMAIL_VERIFICATION_QUEUE',
        ].every((name) => trace.some((s) => s.name === name)),
    );

    // HTTP server span: child of the caller's span (the incoming traceparent).
    const http = one(spans, 'POST /users');
    expect(http.parentSpanId).toBe(callerSpanId);
    expect(http.service).toBe('users-api');
    expect(http.attributes['http.request.method']).toBe('POST');
    expect(http.attributes['http.route']).toBe('/users');
    expect(http.attributes['http.response.status_code']).toBe(201);

    // The command in the aggregate's Durable Object: child of the HTTP span, over RPC.
    const command = one(spans, 'escf.command User.create');
    expect(command.parentSpanId).toBe(http.spanId);
    expect(command.attributes).toMatchObject({
      'escf.aggregate.type': 'User',
      'escf.aggregate.id': id,
      'escf.command': 'create',
      'escf.version': 2,
    });
    expect(command.attributes['escf.event.types']).toEqual(['UserCreated', 'UserEmailVerificationIssued']);

    // Every later hop restores the context stored in the events' metadata: children of the command span.
    const d1 = one(spans, 'escf.d1.append');
    expect(d1.parentSpanId).toBe(command.spanId);
    expect(d1.attributes).toMatchObject({ 'escf.aggregate.type': 'User', 'escf.batch.size': 2, 'escf.attempt': 1 });

    for (const [binding, projection] of [
      ['USERS', 'users'],
      ['SESSIONS', 'sessions'],
    ] as const) {
      const deliver = one(spans, `escf.service.deliver ${binding}`);
      expect(deliver.parentSpanId).toBe(command.spanId);
      expect(deliver.attributes['escf.target']).toBe(binding);
      const apply = one(spans, `escf.projection.apply ${projection}`);
      expect(apply.service).toBe(`users-${projection}`);
      expect(apply.parentSpanId).toBe(command.spanId);
      expect(apply.attributes['escf.projection']).toBe(projection);
      expect(apply.attributes['escf.batch.size']).toBeGreaterThanOrEqual(1);
      expect(typeof apply.attributes['escf.lag_ms']).toBe('number');
      expect(apply.status).not.toBe(2);
    }

    const send = one(spans, 'escf.queue.send SEND_EMAIL_VERIFICATION_QUEUE');
    expect(send.parentSpanId).toBe(command.spanId);
    expect(send.kind).toBe(4); // PRODUCER

    // The process effect: a consumer span in the email worker (one per event), linked to the event that caused it.
    const effect = spans.find(isEffect)!;
    expect(effect.service).toBe('users-email');
    expect(effect.kind).toBe(5); // CONSUMER
    expect(effect.parentSpanId).toBe(command.spanId);
    expect(effect.links).toContainEqual({ traceId, spanId: command.spanId });
    expect(effect.attributes).toMatchObject({
      'escf.process': 'send-email-verification',
      'escf.attempt': 1,
      'escf.event.types': ['UserEmailVerificationIssued'],
    });

    // Nothing of this sign-up escaped into another trace.
    expect(receiver.spans.filter((s) => s.attributes['escf.aggregate.id'] === id && s.traceId !== traceId)).toEqual([]);
  });

  it('keeps the caller’s sampling decision: a traceparent that is not sampled exports nothing', async () => {
    const traceId = randomHex(16);
    const response = await system.fetch('/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${randomHex(8)}-00` },
      body: JSON.stringify({ name: 'Bo', email: `bo-trace-${++n}@example.com`, password: 'correct horse battery' }),
    });
    expect(response.status).toBe(201);
    // A sampled sign-up after it, to know that everything before it was exported.
    const { traceId: later } = await signUpTraced();
    await receiver.waitFor(
      (all) => all.filter((s) => s.traceId === later),
      (trace) => trace.filter((s) => s.name.startsWith('escf.process.handle')).length >= 1,
    );
    expect(receiver.spans.filter((s) => s.traceId === traceId)).toEqual([]);
  });

  it('records a failing projection as an error span with its code, and the redelivery as attempt 2 of the same trace', async () => {
    const users = await system.d1('USERS_DB', 'users');
    await users.prepare('ALTER TABLE users RENAME TO users_away').run();
    let moved = true;
    try {
      const { traceId, status } = await signUpTraced();
      expect(status).toBe(202); // committed, delivery pending: the users projection failed
      const failed = await receiver.waitFor(
        (all) => all.filter((s) => s.traceId === traceId && s.name === 'escf.projection.apply users'),
        (found) => found.length > 0,
      );
      expect(failed[0]!.status).toBe(2); // ERROR
      expect(failed[0]!.attributes['escf.error.code']).toMatch(/^[A-Z_]+$/);
      expect(failed[0]!.events).toContain('exception');

      await users.prepare('ALTER TABLE users_away RENAME TO users').run();
      moved = false;
      // The outbox's alarm retries with backoff: the same event, in the same trace, attempt 2 (or later).
      const retried = await receiver.waitFor(
        (all) =>
          all.filter(
            (s) =>
              s.traceId === traceId &&
              s.name === 'escf.service.deliver USERS' &&
              Number(s.attributes['escf.attempt']) >= 2,
          ),
        (found) => found.some((s) => s.status !== 2),
        30_000,
      );
      expect(retried.length).toBeGreaterThan(0);
      // The successful apply is exported by the projection worker's own (asynchronous) export.
      const applied = await receiver.waitFor(
        (all) => named(all, 'escf.projection.apply users').filter((s) => s.traceId === traceId),
        (found) => found.some((s) => s.status !== 2),
        30_000,
      );
      expect(applied.some((s) => s.status !== 2)).toBe(true);
    } finally {
      if (moved) await users.prepare('ALTER TABLE users_away RENAME TO users').run();
    }
  }, 60_000);
});
