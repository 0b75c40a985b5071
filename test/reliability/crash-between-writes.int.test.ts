// Crashes between the writes of a command and of an outbox drain: a test-only
// hook (@escf/cloudflare's fault points) throws at one point, then every
// Durable Object is aborted, losing all memory, as a crashed isolate would.
// After the restart nothing is lost, nothing is stored twice in D1 and the
// ledger projection converges to each version exactly once.
import { abortAllDurableObjects } from 'cloudflare:test';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type FaultPoint, setFaultHookForTests } from '../../packages/cloudflare/src/aggregate/fault-points.js';
import { expectConverged } from './convergence.js';
import { Figures } from './figures.js';
import { accounts, eventually, testEnv, uniqueId } from './helpers.js';

const figures = new Figures('crash between writes');
afterAll(() => figures.print());
afterEach(() => setFaultHookForTests(null));

/** Makes the next `point` (optionally for one delivery target) throw, once; resolves when it did. */
function crashOnceAt(point: FaultPoint, target?: string): { fired: () => boolean } {
  let fired = false;
  setFaultHookForTests((at, detail) => {
    if (fired || at !== point || (target !== undefined && detail.target !== target)) return;
    fired = true;
    throw new Error(`injected crash at ${point}`);
  });
  return { fired: () => fired };
}

const COMMAND_POINTS: FaultPoint[] = ['command:decided', 'command:events-written', 'command:committed'];
const OUTBOX_POINTS: Array<[FaultPoint, string?]> = [
  ['outbox:d1-appended'],
  ['outbox:d1-recorded'],
  ['outbox:published', 'queue:LEDGER_QUEUE'],
];

describe('a crash during a command', () => {
  for (const point of COMMAND_POINTS) {
    it(`at ${point}: the retry (same idempotency key) commits once; D1 and the ledger converge`, async () => {
      const address = { tenantId: 'crash', aggregateId: uniqueId(`cmd-${point}`) };
      // A fresh stub per call: stubs of aborted objects stay broken.
      const account = () => accounts(testEnv, { tenantId: address.tenantId }).account(address.aggregateId);
      await account().deposit({ amount: 1, memo: '' });
      await account().deposit({ amount: 2, memo: '' });
      const crash = crashOnceAt(point);
      const failed = await account()
        .deposit({ amount: 4, memo: 'crash' }, { idempotencyKey: 'k-3' })
        .catch((e: unknown) => e);
      expect(crash.fired()).toBe(true);
      expect(failed).toBeInstanceOf(Error);
      await abortAllDurableObjects();
      setFaultHookForTests(null);
      // The client retries, as it must after an unknown outcome.
      const retried = await account().deposit({ amount: 4, memo: 'crash' }, { idempotencyKey: 'k-3' });
      expect(retried.version).toBe(3);
      await account().deposit({ amount: 8, memo: '' });
      expect(
        (await accounts(testEnv, { tenantId: address.tenantId }).account.state(address.aggregateId)).state.balance,
      ).toBe(15);
      const seen = await expectConverged(address, 4);
      figures.add({
        scenario: `command, ${point}`,
        tried: 5,
        faults: 1,
        eventsVerified: seen.events,
        lost: seen.lost,
        duplicated: seen.duplicated,
      });
    });
  }

  it('an exception after the commit (no restart): the object does not keep deciding on stale state', async () => {
    const address = { tenantId: 'crash', aggregateId: uniqueId('cmd-no-restart') };
    // A fresh stub per call: stubs of aborted objects stay broken.
    const account = () => accounts(testEnv, { tenantId: address.tenantId }).account(address.aggregateId);
    await account().deposit({ amount: 1, memo: '' });
    crashOnceAt('command:committed');
    const failed = await account()
      .deposit({ amount: 2, memo: '' }, { idempotencyKey: 'k-2' })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Error);
    setFaultHookForTests(null);
    expect((await account().deposit({ amount: 2, memo: '' }, { idempotencyKey: 'k-2' })).version).toBe(2);
    expect((await account().deposit({ amount: 4, memo: '' })).version).toBe(3);
    expect(
      (await accounts(testEnv, { tenantId: address.tenantId }).account.state(address.aggregateId)).state.balance,
    ).toBe(7);
    // No later request is needed for the committed event to leave the outbox.
    const seen = await expectConverged(address, 3);
    figures.add({
      scenario: 'command, exception after commit',
      tried: 4,
      faults: 1,
      eventsVerified: seen.events,
      lost: seen.lost,
      duplicated: seen.duplicated,
    });
  });
});

describe('a crash during the outbox drain', () => {
  for (const [point, target] of OUTBOX_POINTS) {
    it(`at ${point}${target ? ` (${target})` : ''}: the next drain stores nothing twice and the ledger applies each event once`, async () => {
      const address = { tenantId: 'crash', aggregateId: uniqueId(`outbox-${point}`) };
      // A fresh stub per call: stubs of aborted objects stay broken.
      const account = () => accounts(testEnv, { tenantId: address.tenantId }).account(address.aggregateId);
      const crash = crashOnceAt(point, target);
      for (let i = 1; i <= 5; i++) await account().deposit({ amount: i, memo: '' });
      await eventually(async () => crash.fired(), `the crash at ${point}`);
      await abortAllDurableObjects();
      setFaultHookForTests(null);
      // No new command: the stored alarm alone must finish the drain after the restart.
      const seen = await expectConverged(address, 5);
      figures.add({
        scenario: `outbox, ${point}${target ? ` ${target}` : ''}`,
        tried: 5,
        faults: 1,
        eventsVerified: seen.events,
        lost: seen.lost,
        duplicated: seen.duplicated,
      });
    });
  }
});
