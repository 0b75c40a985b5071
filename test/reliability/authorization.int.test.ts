// Who issued a command: the principal authenticated at the HTTP edge (a
// bearer token) or passed to the typed client reaches the aggregate, is
// checked by the command's declarative `authorize` option and is recorded
// in every event's metadata (the audit trail). Refusals are 401/403 with
// stable codes and store nothing.
import type { EscfError } from '@escf/core';
import { afterAll, describe, expect, it } from 'vitest';
import { Figures } from './figures.js';
import { accountStub, accounts, doEvents, http, inObject, testEnv, uniqueId } from './helpers.js';

const figures = new Figures('authorization');
afterAll(() => figures.print());

const post = (path: string, body: unknown, token?: string) =>
  http(path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

describe('principal and guards', () => {
  it('over HTTP: 401 without a principal, 403 for the wrong one, the owner or a role passes; events record who', async () => {
    const tenantId = uniqueId('authz');
    const base = `/t/${tenantId}/accounts/acct`;
    expect((await post(`${base}/open`, { owner: 'Ada' }, 'token-ada')).status).toBe(201);
    const refusals: Array<[string | undefined, number, string]> = [
      [undefined, 401, 'UNAUTHORIZED'],
      ['no-such-token', 401, 'UNAUTHORIZED'],
      ['token-bob', 403, 'FORBIDDEN'],
      ['token-ada-readonly', 403, 'FORBIDDEN'],
      ['token-ada-elsewhere', 403, 'FORBIDDEN'],
    ];
    for (const [token, status, code] of refusals) {
      const outcome = await post(`${base}/freeze`, { reason: 'lost card' }, token);
      expect(outcome, String(token)).toMatchObject({ status, body: { error: { code } } });
    }
    // A malformed Authorization header is bad input, not an anonymous call.
    const malformed = await http(`${base}/freeze`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic abc' },
      body: '{"reason":"x"}',
    });
    expect(malformed.status).toBe(400);
    expect(await doEvents(accountStub({ tenantId, aggregateId: 'acct' }))).toHaveLength(1); // only Opened
    expect((await post(`${base}/freeze`, { reason: 'lost card' }, 'token-ada')).status).toBe(200);
    expect((await post(`${base}/freeze`, { reason: 'audit' }, 'token-auditor')).status).toBe(200);
    // The audit trail, in the aggregate's own storage and in the D1 log.
    const metadata = await inObject(accountStub({ tenantId, aggregateId: 'acct' }), (state) =>
      state.storage.sql
        .exec<{ metadata: string }>('SELECT metadata FROM escf_events ORDER BY version')
        .toArray()
        .map((row) => JSON.parse(row.metadata)),
    );
    expect(metadata.map((m) => m.principal)).toEqual([
      { id: 'Ada', scopes: ['accounts:write'] },
      { id: 'Ada', scopes: ['accounts:write'] },
      { id: 'audit-1', roles: ['auditor'], scopes: ['accounts:write'] },
    ]);
    const stub = accountStub({ tenantId, aggregateId: 'acct' }) as unknown as { flushOutbox(): Promise<unknown> };
    await stub.flushOutbox();
    const { results } = await testEnv.ESCF_EVENTS.prepare(
      'SELECT events FROM escf_events WHERE tenant_id = ? ORDER BY position',
    )
      .bind(tenantId)
      .all<{ events: string }>();
    const logged = results.flatMap((row) =>
      (JSON.parse(row.events) as Array<{ metadata: { principal?: unknown } }>).map((e) => e.metadata.principal),
    );
    expect(logged).toEqual(metadata.map((m) => m.principal));
    figures.add({
      scenario: 'HTTP: guarded command',
      tried: refusals.length + 3,
      accepted: 2,
      rejected: refusals.length + 1,
      lost: 0,
      duplicated: 0,
    });
  });

  it('through the typed client: the same guard, the same codes; a forged principal shape is refused', async () => {
    const tenantId = uniqueId('authz-client');
    const account = accounts(testEnv, { tenantId }).account('acct');
    await account.open({ owner: 'Ada' });
    const codeOf = (promise: Promise<unknown>) =>
      promise.then(
        () => 'ok',
        (e: unknown) => (e as EscfError).code,
      );
    expect(await codeOf(account.freeze({ reason: 'x' }))).toBe('UNAUTHORIZED');
    expect(
      await codeOf(account.freeze({ reason: 'x' }, { principal: { id: 'Bob', scopes: ['accounts:write'] } })),
    ).toBe('FORBIDDEN');
    expect(await codeOf(account.freeze({ reason: 'x' }, { principal: { id: '' } as never }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(account.freeze({ reason: '' }, { principal: { id: 'Ada', scopes: ['accounts:write'] } }))).toBe(
      'FORBIDDEN',
    );
    expect(
      await codeOf(account.freeze({ reason: 'x' }, { principal: { id: 'Ada', scopes: ['accounts:write'] } })),
    ).toBe('ok');
    expect(await doEvents(accountStub({ tenantId, aggregateId: 'acct' }))).toHaveLength(2);
    // Unguarded commands still run anonymously, and then record no principal.
    await account.deposit({ amount: 1, memo: '' });
    const [last] = (await doEvents(accountStub({ tenantId, aggregateId: 'acct' }))).slice(-1);
    expect(last!.version).toBe(3);
  });
});
