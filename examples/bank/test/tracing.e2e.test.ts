// The bank with tracing on: a process's commands continue the trace of the event that caused them.

import { fileURLToPath } from 'node:url';
import { type OtlpReceiver, type RunningSystem, startOtlpReceiver, startSystem } from '@escf/testing/system';
import { afterAll, beforeAll, expect, it } from 'vitest';

let receiver: OtlpReceiver;
let bank: RunningSystem;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const traced = { bindings: { ESCF_OTLP_ENDPOINT: receiver.url } };
  bank = await startSystem(fileURLToPath(new URL('..', import.meta.url)), {
    workers: { api: traced, 'large-withdrawals': traced },
  });
}, 120_000);
afterAll(async () => {
  await bank?.stop();
  await receiver?.stop();
});

const post = (body: unknown, traceparent?: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(traceparent ? { traceparent } : {}) },
  body: JSON.stringify(body),
});

it('a large withdrawal: the process span is linked to the causing event, and the command it sends is its child', async () => {
  const opened = await bank.fetch('/accounts', post({ owner: 'Ada', currency: 'EUR' }));
  const { id } = (await opened.json()) as { id: string };
  await bank.fetch(`/accounts/${id}/activate`, post({}));
  await bank.fetch(`/accounts/${id}/deposits`, post({ amount: 50_000, reference: 'opening deposit' }));

  const traceId = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const withdrawn = await bank.fetch(
    `/accounts/${id}/withdrawals`,
    post({ amount: 20_000, reference: 'car' }, `00-${traceId}-${'1'.repeat(16)}-01`),
  );
  expect(withdrawn.status).toBe(200);

  const spans = await receiver.waitFor(
    (all) => all.filter((s) => s.traceId === traceId),
    (trace) =>
      trace.some((s) => s.name === 'escf.command Account.flagLargeWithdrawal') &&
      trace.some((s) => s.name === 'escf.process.handle large-withdrawals'),
    30_000,
  );
  const withdraw = spans.find((s) => s.name === 'escf.command Account.withdraw')!;
  expect(withdraw).toBeDefined();
  const effect = spans.find(
    (s) =>
      s.name === 'escf.process.handle large-withdrawals' &&
      (s.attributes['escf.event.types'] as string[]).includes('Withdrawn'),
  )!;
  expect(effect.service).toBe('bank-large-withdrawals');
  expect(effect.parentSpanId).toBe(withdraw.spanId);
  expect(effect.links).toContainEqual({ traceId, spanId: withdraw.spanId });
  const flag = spans.find((s) => s.name === 'escf.command Account.flagLargeWithdrawal')!;
  expect(flag.parentSpanId).toBe(effect.spanId);
  expect(flag.attributes).toMatchObject({ 'escf.aggregate.type': 'Account', 'escf.aggregate.id': id });
});
