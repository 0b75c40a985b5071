// Tenancy: a request for tenant A can never read or change tenant B's
// aggregates, events or read models — through typed clients, HTTP routes
// that carry the tenant, the D1 log and the ledger projection (which serves
// every tenant and keys its rows by the event's tenant).
import { afterAll, describe, expect, it } from 'vitest';
import { expectConverged } from './convergence.js';
import { Figures } from './figures.js';
import { accounts, d1Events, eventually, http, ledgerRow, testEnv, uniqueId } from './helpers.js';

const figures = new Figures('tenancy');
afterAll(() => figures.print());

const post = (path: string, body: unknown) =>
  http(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('tenancy', () => {
  it('the same aggregate id in two tenants: separate objects, events, D1 streams and ledger rows, through clients and HTTP', async () => {
    const a = uniqueId('tenant-a');
    const b = uniqueId('tenant-b');
    const id = 'shared';
    await accounts(testEnv, { tenantId: a }).account(id).open({ owner: 'alice' });
    await accounts(testEnv, { tenantId: a }).account(id).deposit({ amount: 10, memo: '' });
    // Tenant B sees nothing of A's account, and its writes land in its own stream.
    const seenByB = await (await http(`/t/${b}/accounts/${id}`)).json<{
      version: number;
      state: { owner: string | null; balance: number };
    }>();
    expect(seenByB).toEqual({ version: 0, state: { owner: null, balance: 0, deposits: 0 } });
    expect((await post(`/t/${b}/accounts/${id}/open`, { owner: 'bob' })).status).toBe(201);
    expect((await post(`/t/${b}/accounts/${id}/deposit`, { amount: 3 })).status).toBe(200);
    // A's account is untouched; opening "again" in A is still refused for A only.
    expect((await accounts(testEnv, { tenantId: a }).account.state(id)).state).toEqual({
      owner: 'alice',
      balance: 10,
      deposits: 1,
    });
    expect((await post(`/t/${a}/accounts/${id}/open`, { owner: 'mallory' })).status).toBe(409);
    const seenA = await expectConverged({ tenantId: a, aggregateId: id }, 2);
    const seenB = await expectConverged({ tenantId: b, aggregateId: id }, 2);
    expect((await d1Events({ tenantId: a, aggregateId: id })).every((e) => e.tenantId === a)).toBe(true);
    // Read models: the HTTP route for B returns B's row only.
    const ledgerB = await (await http(`/t/${b}/ledger/${id}`)).json<{ tenant: string; owner: string; total: number }>();
    expect(ledgerB).toMatchObject({ tenant: b, owner: 'bob', total: 3 });
    expect(await (await http(`/t/${uniqueId('tenant-c')}/ledger/${id}`)).json()).toBeNull();
    figures.add({
      scenario: 'same id, two tenants (client + HTTP + ledger)',
      tried: 6,
      accepted: 5,
      rejected: 1,
      eventsVerified: seenA.events + seenB.events,
      lost: seenA.lost + seenB.lost,
      duplicated: seenA.duplicated + seenB.duplicated,
    });
  });

  it('a tenant name that contains the separator cannot alias another tenant’s stream in the projection', async () => {
    const base = uniqueId('tenant-sep');
    // Tenant "<base>/Account" with id "y", and tenant "<base>" with id "Account/y": distinct streams.
    const first = { tenantId: `${base}/Account`, aggregateId: 'y' };
    const second = { tenantId: base, aggregateId: 'Account/y' };
    await accounts(testEnv, { tenantId: first.tenantId }).account(first.aggregateId).deposit({ amount: 1, memo: '' });
    await accounts(testEnv, { tenantId: second.tenantId })
      .account(second.aggregateId)
      .deposit({ amount: 100, memo: '' });
    await eventually(
      async () => (await d1Events(first)).length === 1 && (await d1Events(second)).length === 1,
      'both streams in D1',
    );
    const one = await expectConverged(first, 1);
    const two = await expectConverged(second, 1);
    expect(await ledgerRow(first)).toMatchObject({ total: 1 });
    expect(await ledgerRow(second)).toMatchObject({ total: 100 });
    figures.add({
      scenario: 'tenant containing "/" vs id containing "/"',
      tried: 2,
      accepted: 2,
      eventsVerified: 2,
      lost: one.lost + two.lost,
      duplicated: one.duplicated + two.duplicated,
    });
  });
});
