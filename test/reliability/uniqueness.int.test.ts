// Uniqueness across aggregates: Member's email is claimed in a
// UniqueValueClaims object per normalised address. Concurrent sign-ups race
// for one address (exactly one wins, every round), comparisons ignore case,
// a failed command releases nothing it did not take, and a crash between
// claim and commit — or after the commit, before the claim is confirmed or
// released — leaves no claim orphaned for ever.
import { EscfError, normalizeUniqueValue } from '@escf/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { setFaultHookForTests } from '../../packages/cloudflare/src/aggregate/fault-points.js';
import { Figures } from './figures.js';
import { accounts, testEnv, uniqueId } from './helpers.js';

const figures = new Figures('uniqueness');
afterAll(() => figures.print());
afterEach(() => setFaultHookForTests(null));

const members = (tenantId: string) => accounts(testEnv, { tenantId }).member;
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e: unknown) => (e instanceof EscfError ? e.code : `untyped: ${String(e)}`),
  );

function holderOf(tenantId: string, email: string) {
  const key = JSON.stringify([tenantId, 'Member', 'email', normalizeUniqueValue(email)]);
  return testEnv.UNIQUE_VALUES.get(testEnv.UNIQUE_VALUES.idFromName(key)).holder();
}

describe('unique values across aggregates', () => {
  it('concurrent sign-ups for one address (in varying case): exactly one wins, every round', async () => {
    const rounds = 20;
    const racers = 8;
    let winners = 0;
    for (let round = 0; round < rounds; round++) {
      const tenantId = uniqueId('race');
      const outcomes = await Promise.all(
        Array.from({ length: racers }, (_, i) =>
          codeOf(members(tenantId)(`m-${i}`).join({ email: i % 2 ? 'Ada@Example.com' : ' ada@example.COM ' })),
        ),
      );
      expect(
        outcomes.filter((o) => o === 'ok'),
        outcomes.join(),
      ).toHaveLength(1);
      expect(
        outcomes.filter((o) => o !== 'ok').every((o) => o === 'UNIQUE_VALUE_TAKEN'),
        outcomes.join(),
      ).toBe(true);
      const winner = outcomes.indexOf('ok');
      expect(await holderOf(tenantId, 'ADA@example.com')).toMatchObject({
        status: 'confirmed',
        owner: { address: { aggregateId: `m-${winner}` } },
      });
      // Only the winner stored anything.
      for (let i = 0; i < racers; i++)
        expect((await members(tenantId).state(`m-${i}`)).version).toBe(i === winner ? 1 : 0);
      winners++;
    }
    figures.add({
      scenario: `sign-up race, ${racers} racers × ${rounds} rounds`,
      tried: rounds * racers,
      accepted: winners,
      rejected: rounds * racers - winners,
      lost: 0,
      duplicated: 0,
    });
  });

  it('an email change claims the new address and frees the old one; leaving frees it; a taken address is refused and keeps the old one', async () => {
    const tenantId = uniqueId('change');
    const m = members(tenantId);
    await m('a').join({ email: 'a@example.com' });
    await m('b').join({ email: 'b@example.com' });
    expect(await codeOf(m('a').changeEmail({ email: 'B@example.com' }))).toBe('UNIQUE_VALUE_TAKEN');
    expect((await m.state('a')).state.email).toBe('a@example.com');
    // The refused change released nothing it did not take: a still holds its address, b its own.
    expect(await codeOf(m('c').join({ email: 'a@example.com' }))).toBe('UNIQUE_VALUE_TAKEN');
    expect(await holderOf(tenantId, 'b@example.com')).toMatchObject({ owner: { address: { aggregateId: 'b' } } });
    await m('a').changeEmail({ email: 'a2@example.com' });
    expect(await holderOf(tenantId, 'a@example.com')).toBeNull();
    expect(await codeOf(m('c').join({ email: 'A@example.com' }))).toBe('ok');
    await m('b').leave();
    expect(await codeOf(m('d').join({ email: 'b@example.com' }))).toBe('ok');
    // Other tenants are other namespaces.
    expect(await codeOf(members(uniqueId('other'))('x').join({ email: 'a2@example.com' }))).toBe('ok');
  });

  it('a command that fails after claiming (inside its transaction) releases the claim it took', async () => {
    const tenantId = uniqueId('rollback');
    setFaultHookForTests((point) => {
      if (point === 'command:events-written') throw new Error('crash inside the transaction');
    });
    expect(await codeOf(members(tenantId)('a').join({ email: 'x@example.com' }))).not.toBe('ok');
    setFaultHookForTests(null);
    expect(await holderOf(tenantId, 'x@example.com')).toBeNull();
    expect(await codeOf(members(tenantId)('b').join({ email: 'x@example.com' }))).toBe('ok');
  });

  it('a crash between claim and commit leaves a pending claim that blocks until its deadline, then goes to the next claimant', async () => {
    const tenantId = uniqueId('crash-pending');
    setFaultHookForTests((point) => {
      if (point === 'command:claimed') throw new Error('crash after claiming');
    });
    expect(await codeOf(members(tenantId)('a').join({ email: 'p@example.com' }))).not.toBe('ok');
    setFaultHookForTests(null);
    expect(await holderOf(tenantId, 'p@example.com')).toMatchObject({
      status: 'pending',
      owner: { address: { aggregateId: 'a' } },
    });
    // Within the deadline, the owner might still commit: refused.
    expect(await codeOf(members(tenantId)('b').join({ email: 'p@example.com' }))).toBe('UNIQUE_VALUE_TAKEN');
    // Past it (the claim object's record aged by hand), the owner never committed: the orphan goes to the newcomer.
    const key = JSON.stringify([tenantId, 'Member', 'email', 'p@example.com']);
    const { runInDurableObject } = await import('cloudflare:test');
    await runInDurableObject(
      testEnv.UNIQUE_VALUES.get(testEnv.UNIQUE_VALUES.idFromName(key)),
      async (_: unknown, state: DurableObjectState) => {
        const claim = (await state.storage.get<{ deadline: number }>('claim'))!;
        await state.storage.put('claim', { ...claim, deadline: Date.now() - 1 });
      },
    );
    expect(await codeOf(members(tenantId)('b').join({ email: 'p@example.com' }))).toBe('ok');
    // The crashed owner retries: the address is b's now.
    expect(await codeOf(members(tenantId)('a').join({ email: 'p@example.com' }))).toBe('UNIQUE_VALUE_TAKEN');
  });

  it('a crash after the commit, before the claim is confirmed: the owner still holds it, nobody else gets it', async () => {
    const tenantId = uniqueId('crash-committed');
    setFaultHookForTests((point) => {
      if (point === 'command:committed') throw new Error('crash after commit');
    });
    await codeOf(members(tenantId)('a').join({ email: 'q@example.com' }));
    setFaultHookForTests(null);
    expect((await members(tenantId).state('a')).version).toBe(1);
    expect(await codeOf(members(tenantId)('b').join({ email: 'Q@example.com' }))).toBe('UNIQUE_VALUE_TAKEN');
    expect(await holderOf(tenantId, 'q@example.com')).toMatchObject({
      status: 'confirmed',
      owner: { address: { aggregateId: 'a' } },
    });
  });
});
