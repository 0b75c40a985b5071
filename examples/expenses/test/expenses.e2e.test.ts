// Seed 002 end to end: the three workers in workerd (started from escf.config.ts), driven over HTTP.

import { fileURLToPath } from 'node:url';
import { eventually } from '@escf/testing';
import { type RunningSystem, startSystem } from '@escf/testing/system';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let system: RunningSystem;
beforeAll(async () => {
  system = await startSystem(fileURLToPath(new URL('..', import.meta.url)));
});
afterAll(async () => {
  if (process.env.ESCF_DEBUG_LOGS) console.log(system?.logs.join('\n'));
  await system?.stop();
});

const upload = (user: string, body: string, contentType = 'text/plain') =>
  system.fetch(`/users/${user}/receipts`, { method: 'POST', headers: { 'content-type': contentType }, body });

async function expenseOf(id: string): Promise<{ status: string } & Record<string, unknown>> {
  return eventually(
    async () => {
      const response = await system.fetch(`/expenses/${id}`);
      return response.status === 200 && ((await response.json()) as { status: string });
    },
    { timeoutMs: 20_000, what: `expense ${id}` },
  );
}

describe('documents → OCR → expenses over HTTP', () => {
  it('turns an uploaded receipt into a recorded expense listed for its month', async () => {
    const response = await upload('ada', 'Café Central\n2026-11-28\nTOTAL EUR 12.80\n');
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    expect(await expenseOf(id)).toMatchObject({
      status: 'recorded',
      userId: 'ada',
      amount: 1280,
      currency: 'EUR',
      merchant: 'Café Central',
      date: '2026-11-28',
    });
    const document = (await (await system.fetch(`/documents/${id}`)).json()) as { status: string; text: string };
    expect(document).toMatchObject({ status: 'extracted', text: expect.stringContaining('TOTAL EUR 12.80') });
    const november = (await (await system.fetch('/users/ada/expenses?month=2026-11')).json()) as Array<{
      expenseId: string;
    }>;
    expect(november.map((e) => e.expenseId)).toContain(id);
    expect(await (await system.fetch('/users/ada/expenses?month=2026-10')).json()).toEqual([]);
  });

  it('sends an unsure extraction to review; a person confirms it', async () => {
    const { id } = (await (await upload('grace', 'Blurry Shop [smudged]\nTOTAL 9.99 EUR\n2026-11-03')).json()) as {
      id: string;
    };
    expect(await expenseOf(id)).toMatchObject({ status: 'needs-review', reason: 'low confidence (0.4)' });
    const confirmed = await system.fetch(`/expenses/${id}/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 999, currency: 'EUR', merchant: 'Blurry Shop', date: '2026-11-03' }),
    });
    expect(confirmed.status).toBe(200);
    expect((await (await system.fetch('/users/grace/expenses?month=2026-11')).json()) as unknown[]).toEqual([
      expect.objectContaining({ expenseId: id, status: 'recorded', amount: 999 }),
    ]);
  });

  it('refuses bad uploads with typed errors and stores nothing', async () => {
    expect((await upload('ada', '')).status).toBe(400);
    const wrongType = await upload('ada', '{}', 'application/json');
    expect(wrongType.status).toBe(415);
    expect(await wrongType.json()).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    expect((await upload('not a user!', 'x')).status).toBe(400);
    expect((await system.fetch('/users/ada/expenses?month=2026-13')).status).toBe(400);
    const badConfirm = await system.fetch('/expenses/nope/confirm', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"amount":-1}',
    });
    expect(badConfirm.status).toBe(400);
  });

  it('serves its OpenAPI description', async () => {
    const doc = (await (await system.fetch('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/users/{userId}/receipts', '/expenses/{id}/confirm', '/users/{userId}/expenses']),
    );
  });
});
