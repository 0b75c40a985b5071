import { runDurableObjectAlarm } from 'cloudflare:test';
import { DeliveryPendingError } from '@escf/core';
import { describe, expect, it } from 'vitest';
import { DELIVERY_PENDING } from '../../src/aggregate/delivery-pending-error.js';
import type { OutboxReport } from '../../src/outbox/outbox.js';
import {
  ada,
  aggregates,
  d1Events,
  doSql,
  eventually,
  inObject,
  queuedEvents,
  stubOf,
  testEnv,
  uniqueId,
} from '../helpers.js';

const FAULTS_TABLE = 'escf_events_faults';

async function commitSome(user: ReturnType<ReturnType<typeof aggregates>['user']>): Promise<string[]> {
  const results = [
    await user.create({ ...ada }),
    await user.update({ name: 'Ada 2' }),
    await user.authenticate({ password: ada.password }),
  ];
  return results.flatMap((r) => r.events.map((e) => e.id));
}

describe('the outbox', () => {
  it('executeSync returns once the events are in D1 and delivered to the RPC subscriber', async () => {
    const id = uniqueId('sync');
    const result = await aggregates(testEnv, { sync: true })
      .user(id)
      .create({ ...ada });
    const ids = result.events.map((e) => e.id);
    expect((await d1Events(id)).map((e) => e.id)).toEqual(ids);
    const delivered = (await testEnv.SUBSCRIBER.received()).filter((e) => e.aggregateId === id);
    expect(delivered.map((e) => e.id)).toEqual(ids);
    expect(delivered.every((e) => typeof e.position === 'number')).toBe(true);
  });

  it('a command delivered right away arms the alarm only as the safety net, retryBaseMs ahead, not at once', async () => {
    const id = uniqueId('safety-net');
    const stub = stubOf(testEnv.USER_AGGREGATE, id);
    const before = Date.now();
    await aggregates(testEnv, { sync: true })
      .user(id)
      .create({ ...ada });
    // Already delivered by the command's own pass; an alarm at once would wake the object for nothing.
    const alarm = await inObject(stub, (state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeGreaterThanOrEqual(before + 1_000); // the default retryBaseMs
    // More commands meanwhile set no other alarm; when it runs, it finds everything delivered and stays off.
    await aggregates(testEnv, { sync: true }).user(id).update({ name: 'Ada 2' });
    expect(await inObject(stub, (state) => state.storage.getAlarm())).toBe(alarm);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await inObject(stub, (state) => state.storage.getAlarm())).toBeNull();
    expect((await d1Events(id)).map((e) => e.version)).toEqual([1, 2, 3]);
  });

  it('keeps commands working while D1 is down, then delivers every event exactly once', async () => {
    const id = uniqueId('d1-down');
    const user = aggregates(testEnv).faultyUser(id);
    const stub = stubOf(testEnv.FAULTY_USER_AGGREGATE, id);
    await testEnv.ESCF_EVENTS.prepare(`ALTER TABLE ${FAULTS_TABLE} RENAME TO ${FAULTS_TABLE}_offline`).run();
    let ids: string[];
    try {
      ids = await commitSome(user);
      const sync = await aggregates(testEnv, { sync: [] })
        .faultyUser(id)
        .authenticate({ password: ada.password })
        .catch((e: unknown) => e);
      expect(sync).toBeInstanceOf(DeliveryPendingError);
      expect(sync).toMatchObject({ code: DELIVERY_PENDING, details: { version: 5 } });
      ids.push(...(await doSql<{ id: string }>(stub, 'SELECT id FROM escf_events WHERE version = 5')).map((r) => r.id));
      // The alarm fails and re-arms itself; the outbox still holds all five events.
      await runDurableObjectAlarm(stub);
      expect(await inObject(stub, (state) => state.storage.getAlarm())).not.toBeNull();
      expect(await doSql(stub, "SELECT delivered_version FROM escf_outbox_cursors WHERE target = 'd1'")).toEqual([
        { delivered_version: 0 },
      ]);
      expect(await queuedEvents(id)).toEqual([]);
    } finally {
      await testEnv.ESCF_EVENTS.prepare(`ALTER TABLE ${FAULTS_TABLE}_offline RENAME TO ${FAULTS_TABLE}`).run();
    }

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const stored = await d1Events(id, FAULTS_TABLE);
    expect(stored.map((e) => e.id)).toEqual(ids);
    expect(stored.map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
    await eventually(async () => (await queuedEvents(id)).length >= 5);
    expect(new Set((await queuedEvents(id)).map((m) => m.event_id))).toEqual(new Set(ids));
    expect(await inObject(stub, (state) => state.storage.getAlarm())).toBeNull();

    // A lost acknowledgement (D1 stored, cursor not advanced) writes nothing twice.
    await doSql(stub, "UPDATE escf_outbox_cursors SET delivered_version = 2 WHERE target = 'd1'");
    const report = await (stub as unknown as { flushOutbox(): Promise<OutboxReport> }).flushOutbox();
    expect(report).toMatchObject({ storedInD1: 3, d1RowsWritten: 0, failures: [] });
    expect((await d1Events(id, FAULTS_TABLE)).map((e) => e.id)).toEqual(ids);
  });

  it('retries a failed queue send without losing events; duplicates carry the same ids', async () => {
    const id = uniqueId('queue-down');
    const users = aggregates(testEnv).user;
    const stub = stubOf(testEnv.USER_AGGREGATE, id);
    await users.state(id); // start the instance so its bindings can be swapped before any alarm runs
    let attempts = 0;
    await inObject(stub, (_state, instance: { env: Record<string, unknown> }) => {
      const real = instance.env.EVENTS_QUEUE as Queue;
      // The send reaches the queue but its acknowledgement is lost: the worst case for duplicates.
      const lossy = {
        sendBatch: async (messages: Iterable<MessageSendRequest>) => {
          attempts += 1;
          await real.sendBatch(messages);
          throw new Error('network error (injected)');
        },
      };
      instance.env = Object.assign(Object.create(instance.env) as Record<string, unknown>, {
        EVENTS_QUEUE: lossy,
        REAL_QUEUE: real,
      });
    });
    const ids = await commitSome(users(id));
    await eventually(async () => attempts > 0 && (await inObject(stub, (state) => state.storage.getAlarm())) !== null);
    expect(
      await doSql(stub, "SELECT delivered_version FROM escf_outbox_cursors WHERE target = 'queue:EVENTS_QUEUE'"),
    ).toEqual([{ delivered_version: 0 }]);
    // D1 and the RPC subscriber are not held back by the failing queue.
    expect((await d1Events(id)).map((e) => e.id)).toEqual(ids);
    expect((await testEnv.SUBSCRIBER.received()).filter((e) => e.aggregateId === id).map((e) => e.id)).toEqual(ids);

    await inObject(stub, (_state, instance: { env: Record<string, unknown> }) => {
      instance.env = Object.getPrototypeOf(instance.env) as Record<string, unknown>;
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await eventually(async () => (await queuedEvents(id)).length >= ids.length * 2);
    const messages = await queuedEvents(id);
    expect(new Set(messages.map((m) => m.event_id))).toEqual(new Set(ids));
    expect(messages.length).toBeGreaterThan(ids.length); // duplicates, recognisable by id
    const positions = new Map((await d1Events(id)).map((e) => [e.id, e.position]));
    for (const message of messages) expect(message.position).toBe(positions.get(message.event_id));
    expect(
      await doSql(stub, "SELECT delivered_version FROM escf_outbox_cursors WHERE target = 'queue:EVENTS_QUEUE'"),
    ).toEqual([{ delivered_version: ids.length }]);
  });

  it('reports DELIVERY_PENDING from executeSync when a subscriber fails, and delivers on retry', async () => {
    const id = uniqueId('subscriber-down');
    const stub = stubOf(testEnv.USER_AGGREGATE, id);
    await testEnv.SUBSCRIBER.failNext(1);
    const error = await aggregates(testEnv, { sync: true })
      .user(id)
      .create({ ...ada })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryPendingError); // its own class across RPC, not a business-rule DomainError
    expect(error).toMatchObject({ code: DELIVERY_PENDING, details: { version: 2 } });
    expect((error as DeliveryPendingError).result).toMatchObject({ aggregateId: id, version: 2 });
    expect((await aggregates(testEnv).user.state(id)).version).toBe(2); // committed all the same
    await runDurableObjectAlarm(stub);
    await eventually(
      async () => (await testEnv.SUBSCRIBER.received()).filter((e) => e.aggregateId === id).length === 2,
    );
  });
});
