import {
  Aggregate,
  Command,
  ConcurrencyError,
  defineEvent,
  EventHandler,
  EventTooLargeError,
  IdempotencyKeyReusedError,
} from '@escf/core';
import { STORED_EVENT_MAX_BYTES } from '@escf/core/internal';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { User } from '../../../test/fixtures/user.js';
import { describeEventStoreConformance } from '../src/conformance.js';
import { InMemoryAggregates, InMemoryEventStore } from '../src/index.js';

describeEventStoreConformance('InMemoryEventStore', () => new InMemoryEventStore());

/** The User's guarded commands admit an operator (role admin). */
const operator = { id: 'operator', roles: ['admin'] };

const NoteWritten = defineEvent('NoteWritten', z.object({ text: z.string() }));

class Note extends Aggregate<{ length: number }> {
  static readonly type = 'Note';
  protected initialState() {
    return { length: 0 };
  }

  @Command(z.object({ text: z.string() }), { emits: [NoteWritten] })
  write(input: { text: string }) {
    return new NoteWritten({ text: input.text });
  }

  @EventHandler(NoteWritten)
  protected written(e: { text: string }) {
    return { length: e.text.length };
  }
}

describe('InMemoryAggregates', () => {
  it('refuses an event larger than the Durable Object host stores, with the same EVENT_TOO_LARGE, storing nothing', async () => {
    const host = new InMemoryAggregates();
    const error = await host
      .client(Note, 'n1')
      .write({ text: 'x'.repeat(STORED_EVENT_MAX_BYTES) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventTooLargeError);
    expect(error).toMatchObject({
      code: 'EVENT_TOO_LARGE',
      details: { type: 'NoteWritten', limit: STORED_EVENT_MAX_BYTES },
    });
    expect(await host.store.readStream({ aggregateType: 'Note', aggregateId: 'n1' })).toEqual([]);
    await expect(host.client(Note, 'n1').write({ text: 'x'.repeat(500 * 1024) })).resolves.toMatchObject({
      version: 1,
    });
    // A host for queue-fed aggregates passes the smaller limit.
    await expect(
      new InMemoryAggregates(undefined, { maxEventBytes: 1_000 }).client(Note, 'n2').write({ text: 'x'.repeat(2_000) }),
    ).rejects.toMatchObject({ code: 'EVENT_TOO_LARGE', details: { limit: 1_000 } });
  });

  const signUp = { name: 'Ada', email: 'ada@example.com', password: 'correct horse battery' };

  it('runs commands through the engine and stores the events', async () => {
    const host = new InMemoryAggregates();
    const result = await host.client(User, 'ada').create(signUp);
    expect(result).toMatchObject({ aggregateType: 'User', aggregateId: 'ada', version: 2 });
    expect(await host.store.readStream({ aggregateType: 'User', aggregateId: 'ada' })).toHaveLength(2);
  });

  it('serialises concurrent commands on one instance: versions stay gapless', async () => {
    const host = new InMemoryAggregates();
    const ada = host.client(User, 'ada');
    await ada.create(signUp);
    await Promise.all(Array.from({ length: 20 }, (_, i) => ada.update({ name: `Ada ${i}` }, { principal: operator })));
    const events = await host.store.readStream({ aggregateType: 'User', aggregateId: 'ada' });
    expect(events.map((e) => e.version)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
  });

  it('honours expectedVersion and idempotency keys', async () => {
    const host = new InMemoryAggregates();
    const ada = host.client(User, 'ada');
    await ada.create(signUp);
    await expect(ada.update({ name: 'X' }, { expectedVersion: 1, principal: operator })).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    const first = await ada.update({ name: 'Y' }, { idempotencyKey: 'k1', principal: operator });
    const retry = await ada.update({ name: 'Y' }, { idempotencyKey: 'k1', principal: operator });
    expect(retry).toEqual(first);
    expect(await host.store.readStream({ aggregateType: 'User', aggregateId: 'ada' })).toHaveLength(3);
  });

  it('refuses an idempotency key reused for another command or input, and matches the same input in any key order', async () => {
    const host = new InMemoryAggregates();
    const ada = host.client(User, 'ada');
    await ada.create(signUp);
    const first = await ada.update(
      { name: 'Y', email: 'y@example.com' },
      { idempotencyKey: 'k1', principal: operator },
    );
    expect(
      await ada.update({ email: 'y@example.com', name: 'Y' }, { idempotencyKey: 'k1', principal: operator }),
    ).toEqual(first);
    await expect(ada.update({ name: 'Z' }, { idempotencyKey: 'k1', principal: operator })).rejects.toBeInstanceOf(
      IdempotencyKeyReusedError,
    );
    await expect(
      ada.authenticate({ password: signUp.password }, { idempotencyKey: 'k1', principal: operator }),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    // Sign-up (2 events) and the first update (2: new name, and a verification for the new email); nothing more.
    expect(await host.store.readStream({ aggregateType: 'User', aggregateId: 'ada' })).toHaveLength(first.version);
    expect(first.version).toBe(4);
  });

  it('never lets two tenants share idempotency results, even when tenant and id contain slashes', async () => {
    const host = new InMemoryAggregates();
    // With a key of `${tenant}/${type}/${id}` both of these were "a/User/User/b".
    const first = await host.client(User, 'User/b', 'a').create(signUp, { idempotencyKey: 'k' });
    const second = await host.client(User, 'b', 'a/User').create(signUp, { idempotencyKey: 'k' });
    expect(first.aggregateId).toBe('User/b');
    expect(second.aggregateId).toBe('b');
    expect(await host.store.readStream({ aggregateType: 'User', aggregateId: 'b', tenantId: 'a/User' })).toHaveLength(
      2,
    );
  });

  it('keeps tenants apart', async () => {
    const host = new InMemoryAggregates();
    await host.client(User, 'ada', 'tenant-a').create(signUp);
    await expect(host.client(User, 'ada', 'tenant-b').delete({}, { principal: operator })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
