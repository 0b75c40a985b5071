// Delivery faults across the whole path (the projection package's own tests
// cover each in isolation): redelivery duplicated, reordered and delayed;
// D1 unavailable for a while; one poisoned aggregate whose handler throws.
// Everything converges; the poisoned stream ends dead-lettered and visible
// in status() while the others keep flowing.
import { afterAll, describe, expect, it } from 'vitest';
import { expectConverged } from './convergence.js';
import { Figures } from './figures.js';
import { accountStub, accounts, d1Events, eventually, inObject, testEnv, uniqueId } from './helpers.js';

const figures = new Figures('delivery faults');
afterAll(() => figures.print());

describe('delivery faults', () => {
  it('duplicated, reordered and delayed redelivery of the whole log slice: each event applied once', async () => {
    const tenantId = uniqueId('redeliver');
    const ids = ['a', 'b', 'c'];
    for (const id of ids)
      for (let i = 1; i <= 4; i++) await accounts(testEnv, { tenantId }).account(id).deposit({ amount: i, memo: '' });
    for (const id of ids) await expectConverged({ tenantId, aggregateId: id }, 4);
    // Read the events back from D1 with positions, then deliver them again: three times, shuffled, in delayed chunks.
    const { D1EventStore } = await import('@escf/cloudflare');
    const store = new D1EventStore(testEnv.ESCF_EVENTS);
    const events = (
      await Promise.all(ids.map((aggregateId) => store.readStream({ tenantId, aggregateType: 'Account', aggregateId })))
    ).flat();
    const again = [...events, ...events, ...events].sort(() => Math.random() - 0.5);
    let duplicatesSeen = 0;
    for (let i = 0; i < again.length; i += 5) {
      const report = await testEnv.LEDGER.deliver(again.slice(i, i + 5));
      duplicatesSeen += report.duplicates;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(duplicatesSeen).toBe(again.length);
    let lost = 0;
    let duplicated = 0;
    for (const id of ids) {
      const seen = await expectConverged({ tenantId, aggregateId: id }, 4);
      lost += seen.lost;
      duplicated += seen.duplicated;
    }
    figures.add({
      scenario: 'redelivery ×3, shuffled, delayed',
      tried: 12,
      faults: again.length,
      eventsVerified: 12,
      lost,
      duplicated,
    });
  });

  it('D1 unavailable for a while: commands keep committing, the outbox catches up, nothing twice', async () => {
    const tenantId = uniqueId('d1-down');
    const address = { tenantId, aggregateId: 'acct' };
    const stub = accountStub(address);
    await accounts(testEnv, { tenantId }).account('acct').deposit({ amount: 1, memo: '' });
    let failures = 0;
    // The object's D1 binding fails every call for a while (the binding is read lazily from env).
    await inObject(stub, (_state, instance: { env: Record<string, unknown> }) => {
      const real = instance.env.ESCF_EVENTS as D1Database;
      const until = Date.now() + 1_500;
      const flaky = new Proxy(real, {
        get(target, key) {
          const value = Reflect.get(target, key) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            if (Date.now() < until) {
              failures++;
              throw new Error('D1 unavailable (injected)');
            }
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
      instance.env = Object.assign(Object.create(instance.env) as Record<string, unknown>, { ESCF_EVENTS: flaky });
    });
    for (let i = 2; i <= 6; i++) await accounts(testEnv, { tenantId }).account('acct').deposit({ amount: i, memo: '' });
    const seen = await expectConverged(address, 6);
    expect(failures).toBeGreaterThan(0);
    figures.add({
      scenario: 'D1 down for 1.5 s',
      tried: 6,
      faults: failures,
      eventsVerified: seen.events,
      lost: seen.lost,
      duplicated: seen.duplicated,
    });
  });

  it('a handler that throws for one aggregate only: it is dead-lettered with a visible status, the others converge', async () => {
    const tenantId = uniqueId('poison');
    const poisoned = `poison-${uniqueId('acct')}`;
    await accounts(testEnv, { tenantId }).account(poisoned).deposit({ amount: 1, memo: '' });
    await accounts(testEnv, { tenantId }).account(poisoned).poke({});
    await accounts(testEnv, { tenantId }).account(poisoned).deposit({ amount: 2, memo: '' });
    const healthy = ['h1', 'h2', 'h3'];
    for (const id of healthy)
      for (let i = 1; i <= 3; i++) await accounts(testEnv, { tenantId }).account(id).deposit({ amount: i, memo: '' });
    let events = 0;
    for (const id of healthy) events += (await expectConverged({ tenantId, aggregateId: id }, 3)).events;
    const stuck = await eventually(
      async () =>
        (await testEnv.LEDGER.status()).stuck.find((s) => s.stream.endsWith(`/Account/${poisoned}`) && s.deadLettered),
      'the poisoned stream to be dead-lettered',
      30_000,
    );
    expect(stuck).toMatchObject({ version: 2, eventType: 'Poked' });
    expect((await d1Events({ tenantId, aggregateId: poisoned })).length).toBe(3);
    // Version 1 applied, 2 (poison) and 3 (waiting behind it) not: nothing skipped past the failure.
    expect(
      await testEnv.LEDGER_DB.prepare('SELECT history FROM ledger WHERE tenant = ? AND account = ?')
        .bind(tenantId, poisoned)
        .first('history'),
    ).toBe('1');
    figures.add({
      scenario: 'poisoned aggregate → DLQ',
      tried: 12,
      faults: 1,
      eventsVerified: events + 1,
      lost: 0,
      duplicated: 0,
    });
  });
});
