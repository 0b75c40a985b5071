import { ConcurrencyError } from '@escf/core';
import { describe, expect, it } from 'vitest';
import { User } from '../../../examples/users/src/domain/index.js';
import { InMemoryAggregates, InMemoryEventStore } from '../src/index.js';
import { describeEventStoreConformance } from '../src/conformance.js';

describeEventStoreConformance('InMemoryEventStore', () => new InMemoryEventStore());

describe('InMemoryAggregates', () => {
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
    await Promise.all(Array.from({ length: 20 }, (_, i) => ada.update({ name: `Ada ${i}` })));
    const events = await host.store.readStream({ aggregateType: 'User', aggregateId: 'ada' });
    expect(events.map((e) => e.version)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
  });

  it('honours expectedVersion and idempotency keys', async () => {
    const host = new InMemoryAggregates();
    const ada = host.client(User, 'ada');
    await ada.create(signUp);
    await expect(ada.update({ name: 'X' }, { expectedVersion: 1 })).rejects.toBeInstanceOf(ConcurrencyError);
    const first = await ada.update({ name: 'Y' }, { idempotencyKey: 'k1' });
    const retry = await ada.update({ name: 'Y' }, { idempotencyKey: 'k1' });
    expect(retry).toEqual(first);
    expect(await host.store.readStream({ aggregateType: 'User', aggregateId: 'ada' })).toHaveLength(3);
  });

  it('keeps tenants apart', async () => {
    const host = new InMemoryAggregates();
    await host.client(User, 'ada', 'tenant-a').create(signUp);
    await expect(host.client(User, 'ada', 'tenant-b').delete({})).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
