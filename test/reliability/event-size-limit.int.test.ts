// Limits end to end through HTTP: an event a queue message (128 KB) or a row
// (2 MB) cannot hold is refused at command time with 413 EVENT_TOO_LARGE,
// and nothing is stored; just below the limit it is stored once.
import { expect, it } from 'vitest';
import { accountStub, d1EventsWhere, doEvents, http, uniqueId } from './helpers.js';

const note = (path: string, size: number) =>
  http(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'n'.repeat(size) }),
  });

it('events over 128 KB (queued) or 1 MiB (stored only) → 413 EVENT_TOO_LARGE, nothing stored; smaller ones are stored', async () => {
  const tenantId = uniqueId('limits');
  const queued = await note(`/t/${tenantId}/accounts/big/note`, 130_000);
  expect(queued.status).toBe(413);
  expect(await queued.json()).toMatchObject({ error: { code: 'EVENT_TOO_LARGE' } });
  const local = await note(`/t/${tenantId}/local-accounts/huge/note`, 2_100_000);
  expect(local.status).toBe(413);
  expect(await local.json()).toMatchObject({ error: { code: 'EVENT_TOO_LARGE' } });
  expect(await doEvents(accountStub({ tenantId, aggregateId: 'big' }))).toEqual([]);
  expect(await doEvents(accountStub({ tenantId, aggregateId: 'huge' }, 'LOCAL_ACCOUNT_AGGREGATE'))).toEqual([]);
  // Below the limits: accepted and stored.
  expect((await note(`/t/${tenantId}/accounts/ok/note`, 100_000)).status).toBe(200);
  expect((await note(`/t/${tenantId}/local-accounts/ok/note`, 900_000)).status).toBe(200);
  expect(await doEvents(accountStub({ tenantId, aggregateId: 'ok' }))).toHaveLength(1);
  expect(await d1EventsWhere("tenant_id = ? AND aggregate_id IN ('big', 'huge')", tenantId)).toEqual([]);
});
