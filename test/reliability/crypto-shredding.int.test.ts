// Crypto-shredding: Member's email (sensitive) is sealed with a key per
// aggregate before it is stored, so the object's SQLite and the D1 log hold
// ciphertext; the aggregate reads it back in clear; erasing the key makes it
// unreadable everywhere at once.

import { durableObjectName } from '@escf/cloudflare/internal';
import { afterAll, describe, expect, it } from 'vitest';
import { Figures } from './figures.js';
import { accounts, inObject, testEnv, uniqueId } from './helpers.js';

const figures = new Figures('crypto-shredding');
afterAll(() => figures.print());

function memberStub(tenantId: string, aggregateId: string) {
  return testEnv.MEMBER_AGGREGATE.get(
    testEnv.MEMBER_AGGREGATE.idFromName(durableObjectName({ tenantId, aggregateId })),
  );
}

describe('sensitive fields encrypted at rest, erased by deleting the key', () => {
  it('stores ciphertext in the object and in D1, reads clear text, and erases it for good', async () => {
    const tenantId = uniqueId('shred');
    const members = accounts(testEnv, { tenantId }).member;
    await members('m').join({ email: 'grace@example.com' });
    const stub = memberStub(tenantId, 'm');
    const local = await inObject(stub, (state) =>
      state.storage.sql
        .exec<{ payload: string }>('SELECT payload FROM escf_events')
        .toArray()
        .map((r) => r.payload),
    );
    expect(local.join()).not.toContain('grace@example.com');
    expect(local.join()).toContain('escf:enc:v1:');
    await (stub as unknown as { flushOutbox(): Promise<unknown> }).flushOutbox();
    const { results } = await testEnv.ESCF_EVENTS.prepare('SELECT events FROM escf_events WHERE tenant_id = ?')
      .bind(tenantId)
      .all<{ events: string }>();
    expect(results).toHaveLength(1);
    expect(results[0]!.events).not.toContain('grace@example.com');

    // The aggregate reads it in clear, also after losing its warm state and snapshot.
    expect((await members.state('m')).state.email).toBe('grace@example.com');
    await inObject(stub, (state) => state.storage.sql.exec('DELETE FROM escf_snapshot'));
    expect((await members.state('m')).state.email).toBe('grace@example.com');

    // Erasure: the key goes, and with it every copy of the field.
    const erased = await (
      stub as unknown as { eraseSensitive(a: unknown): Promise<{ ok: boolean; value?: { erased: boolean } }> }
    ).eraseSensitive({ tenantId, aggregateId: 'm' });
    expect(erased).toMatchObject({ ok: true, value: { erased: true } });
    expect((await members.state('m')).state.email).toBeUndefined();
    const keys = await inObject(
      stub,
      (state) => state.storage.sql.exec("SELECT name FROM sqlite_master WHERE name = 'escf_keys'").toArray().length,
    );
    expect(
      keys === 0 ||
        (await inObject(stub, (state) => state.storage.sql.exec('SELECT COUNT(*) AS n FROM escf_keys').one().n)) === 0,
    ).toBe(true);
    // The D1 log still holds only the ciphertext, which no key opens any more.
    const after = await testEnv.ESCF_EVENTS.prepare('SELECT events FROM escf_events WHERE tenant_id = ?')
      .bind(tenantId)
      .first<{ events: string }>();
    expect(after!.events).toContain('escf:enc:v1:');
    figures.add({ scenario: 'seal, read back, erase', tried: 1, accepted: 1, lost: 0, duplicated: 0 });
  });
});
