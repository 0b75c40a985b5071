// The bank with tracing on: a process's commands continue the trace of the event that caused them,
// and so do a saga's steps on Workflows and the commands they send.

import { fileURLToPath } from 'node:url';
import { type OtlpReceiver, type RunningSystem, startOtlpReceiver, startSystem } from '@escf/testing/system';
import { afterAll, beforeAll, expect, it } from 'vitest';

let receiver: OtlpReceiver;
let bank: RunningSystem;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const traced = { bindings: { ESCF_OTLP_ENDPOINT: receiver.url } };
  bank = await startSystem(fileURLToPath(new URL('..', import.meta.url)), {
    workers: { api: traced, 'large-withdrawals': traced, transfers: traced },
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

const randomTraceId = () =>
  [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');

async function openAccount(owner: string, deposit: number): Promise<string> {
  const { id } = (await (await bank.fetch('/accounts', post({ owner, currency: 'EUR' }))).json()) as { id: string };
  await bank.fetch(`/accounts/${id}/activate`, post({}));
  if (deposit > 0)
    await bank.fetch(`/accounts/${id}/deposits`, post({ amount: deposit, reference: 'opening deposit' }));
  return id;
}

it("a transfer saga on Workflows: each step is a span in the trace of the event that started it, and its commands are the step's children", async () => {
  const from = await openAccount('Ada', 300);
  const to = await openAccount('Grace', 0);
  const traceId = randomTraceId();
  const requested = await bank.fetch(
    '/transfers',
    post({ from, to, amount: 120 }, `00-${traceId}-${'2'.repeat(16)}-01`),
  );
  expect(requested.status).toBe(202);
  const { id } = (await requested.json()) as { id: string };

  const spans = await receiver.waitFor(
    (all) => all.filter((s) => s.traceId === traceId),
    (trace) =>
      trace.some((s) => s.name === 'escf.saga.step credit target') &&
      trace.some((s) => s.name === 'escf.command Account.deposit' && s.attributes['escf.aggregate.id'] === to),
    40_000,
  );
  const start = spans.find(
    (s) =>
      s.name === 'escf.process.handle transfers' &&
      (s.attributes['escf.event.types'] as string[]).includes('TransferRequested'),
  )!;
  expect(start).toBeDefined();
  const debit = spans.find((s) => s.name === 'escf.saga.step debit source')!;
  const credit = spans.find((s) => s.name === 'escf.saga.step credit target')!;
  for (const step of [debit, credit]) {
    expect(step.service).toBe('bank-transfers');
    expect(step.parentSpanId).toBe(start.spanId); // the process span that started the saga
    expect(step.status).not.toBe(2);
    expect(step.attributes).toMatchObject({
      'escf.saga': expect.any(String),
      'escf.saga.instance': expect.stringContaining('transfers-'),
    });
  }
  expect(debit.attributes['escf.saga.step']).toBe('debit source');
  // The commands a step sends continue the trace as the step's children.
  const withdraw = spans.find(
    (s) => s.name === 'escf.command Account.withdraw' && s.attributes['escf.aggregate.id'] === from,
  )!;
  expect(withdraw.parentSpanId).toBe(debit.spanId);
  const deposit = spans.find(
    (s) => s.name === 'escf.command Account.deposit' && s.attributes['escf.aggregate.id'] === to,
  )!;
  expect(deposit.parentSpanId).toBe(credit.spanId);
  expect(id).toEqual(expect.any(String));
});

it('a failing saga step records the ESCF code on its span, and the compensation is a span of the same trace', async () => {
  const from = await openAccount('Ada', 300);
  const to = await openAccount('Grace', 0);
  await bank.fetch(`/accounts/${to}/freeze`, post({ reason: 'under review' }));
  const traceId = randomTraceId();
  await bank.fetch('/transfers', post({ from, to, amount: 50 }, `00-${traceId}-${'3'.repeat(16)}-01`));

  const spans = await receiver.waitFor(
    (all) => all.filter((s) => s.traceId === traceId),
    (trace) => trace.some((s) => s.name === 'escf.saga.compensate compensate: debit source'),
    40_000,
  );
  const failedCredits = spans.filter((s) => s.name === 'escf.saga.step credit target');
  expect(failedCredits.length).toBeGreaterThanOrEqual(1); // one span per attempt (the step retries once)
  for (const attempt of failedCredits) {
    expect(attempt.status).toBe(2);
    expect(attempt.events).toContain('exception');
    expect(attempt.attributes['escf.error.code']).toEqual(expect.any(String));
    expect(attempt.attributes['escf.error.code']).not.toBe('INTERNAL');
  }
  const compensation = spans.find((s) => s.name === 'escf.saga.compensate compensate: debit source')!;
  expect(compensation.parentSpanId).toBe(failedCredits[0]!.parentSpanId);
  expect(
    spans.find((s) => s.name === 'escf.command Account.deposit' && s.attributes['escf.aggregate.id'] === from)!
      .parentSpanId,
  ).toBe(compensation.spanId);
});
