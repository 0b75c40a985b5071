import { describe, expect, it } from 'vitest';
import type { OutboxReport } from '../../src/outbox/outbox.js';
import { ada, aggregates, eventually, inObject, queuedEvents, stubOf, testEnv, uniqueId } from '../helpers.js';

describe('outbox drain passes', () => {
  it('a pass delivers what was committed when it began; a commit made during it waits for the next pass', async () => {
    const id = uniqueId('bounded-pass');
    const user = aggregates(testEnv).user(id);
    await user.create({ ...ada });
    await user.update({ name: 'Ada 2' });
    const stub = stubOf(testEnv.USER_AGGREGATE, id) as unknown as { flushOutbox(): Promise<OutboxReport> };
    // Drain whatever the alarm has not, then start a pass and commit while it writes to D1.
    await stub.flushOutbox();
    await user.update({ name: 'Ada 3' });
    const pass = stub.flushOutbox();
    const during = user.update({ name: 'Ada 4' });
    const report = await pass;
    await during;
    // Only the event committed before the pass began (or none, if the alarm took it first), never the one after.
    expect(report.storedInD1).toBeLessThanOrEqual(1);
    expect(report.failures).toEqual([]);
  });

  it('every one of many concurrent executeSync commands on one aggregate answers, delivered, in order', async () => {
    const id = uniqueId('hot');
    const sync = aggregates(testEnv, { sync: true }).user(id);
    const created = await sync.create({ ...ada });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => sync.update({ name: `Ada ${i}` })));
    const head = created.version + 40;
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => created.version + 1 + i),
    );
    const delivered = (await testEnv.SUBSCRIBER.received()).filter((e) => e.aggregateId === id).map((e) => e.version);
    expect(delivered).toEqual(Array.from({ length: head }, (_, i) => i + 1));
  });
});

describe('outbox: queue-fed aggregates', () => {
  it('publishes right after the commit, without waiting for the alarm (which stays armed as the safety net)', async () => {
    const id = uniqueId('prompt');
    const stub = stubOf(testEnv.QUEUED_NOTE_AGGREGATE, id);
    await aggregates(testEnv).queuedNote(id).write({ text: 'hello' });
    // Take the alarm away: only the drain started by the commit itself can deliver now.
    await inObject(stub, (state) => state.storage.deleteAlarm());
    await eventually(async () => (await queuedEvents(id)).length === 1);
  });
});
