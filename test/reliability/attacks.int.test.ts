// The attacks of issue "secure by default", finding 5 and 7, each as a test
// that failed before its fix: inputs the command accepts but an event
// refuses, ids that cannot be echoed in headers, chunked and deep bodies,
// odd methods, malformed correlation ids and lone surrogates. Each answer is
// a JSON 4xx with a stable code, and nothing is stored.
import { afterAll, describe, expect, it } from 'vitest';
import { Figures } from './figures.js';
import { accountStub, accounts, d1EventsWhere, doEvents, http, inObject, testEnv, uniqueId } from './helpers.js';

const figures = new Figures('attacks');
afterAll(() => figures.print());

async function send(
  path: string,
  init: RequestInit,
): Promise<{ status: number; code?: string; body: any; headers: Headers }> {
  const response = await http(path, init);
  const text = await response.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${init.method} ${path} → ${response.status} with a non-JSON body: ${text.slice(0, 200)}`);
  }
  return { status: response.status, code: body?.error?.code, body, headers: response.headers };
}

const post = (body: BodyInit, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body,
});

async function nothingStored(tenantId: string, ...aggregateIds: string[]): Promise<void> {
  expect(await d1EventsWhere('tenant_id = ?', tenantId)).toEqual([]);
  for (const aggregateId of aggregateIds) expect(await doEvents(accountStub({ tenantId, aggregateId }))).toEqual([]);
}

describe('attacks that answered 500 or stored something', () => {
  it('input that passes the command schema but fails the event schema: 400 VALIDATION_FAILED on the input field', async () => {
    const tenantId = uniqueId('attack-event-schema');
    let tried = 0;
    for (const email of ['üser@example.com', '"a b"@example.com', 'user@bücher.example', 'not an email']) {
      tried++;
      const outcome = await send(`/t/${tenantId}/accounts/acct/email`, post(JSON.stringify({ email })));
      expect(outcome.status, JSON.stringify(outcome.body)).toBe(400);
      expect(outcome.code).toBe('VALIDATION_FAILED');
      expect(outcome.body.error.details.issues[0].path).toBe('email');
    }
    await nothingStored(tenantId, 'acct');
    // A valid address still goes through.
    expect((await send(`/t/${tenantId}/accounts/acct/email`, post('{"email":"ada@example.com"}'))).status).toBe(200);
    figures.add({ scenario: 'event schema stricter than command', tried, rejected: tried, lost: 0, duplicated: 0 });
  });

  it('ids with CR, LF, NUL or other control characters: 400 before the write, so a retry is not a 409', async () => {
    const tenantId = uniqueId('attack-location');
    const ids = ['a\r\nSet-Cookie: x=1', 'line\nbreak', 'nul\u0000byte', 'tab\tid', 'del\u007f', 'cr\rid'];
    for (const id of ids) {
      const outcome = await send(`/t/${tenantId}/accounts/${encodeURIComponent(id)}/open`, post('{"owner":"Ada"}'));
      expect(outcome.status, JSON.stringify(outcome.body)).toBe(400);
      expect(outcome.code).toBe('VALIDATION_FAILED');
      expect(outcome.body.error.details.issues[0].path).toBe('id');
      const retry = await send(`/t/${tenantId}/accounts/${encodeURIComponent(id)}/open`, post('{"owner":"Ada"}'));
      expect(retry.status).toBe(400);
    }
    await nothingStored(tenantId, ...ids);
    // An id the header can carry gets its 201 and Location.
    const ok = await send(`/t/${tenantId}/accounts/plain-id/open`, post('{"owner":"Ada"}'));
    expect(ok.status).toBe(201);
    expect(ok.headers.get('location')).toBe('/accounts/plain-id');
    figures.add({
      scenario: 'ids unfit for headers',
      tried: ids.length * 2,
      rejected: ids.length * 2,
      lost: 0,
      duplicated: 0,
    });
  });

  it('a 3 MB chunked body (no Content-Length) and a lying Content-Length: 413 JSON', async () => {
    const tenantId = uniqueId('attack-chunked');
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    const chunked = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"amount":1,"memo":"'));
          for (let i = 0; i < 48; i++) controller.enqueue(chunk);
          controller.enqueue(new TextEncoder().encode('"}'));
          controller.close();
        },
      });
    for (let i = 0; i < 3; i++) {
      const outcome = await send(`/t/${tenantId}/accounts/acct/deposit`, {
        ...post(chunked()),
        duplex: 'half',
      } as RequestInit);
      expect(outcome).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    }
    await nothingStored(tenantId, 'acct');
    figures.add({ scenario: 'chunked 3 MB bodies', tried: 3, rejected: 3, lost: 0, duplicated: 0 });
  });

  it('CONNECT-like and made-up methods: JSON 405 METHOD_NOT_ALLOWED', async () => {
    const tenantId = uniqueId('attack-methods');
    let tried = 0;
    for (const method of ['TRACE', 'PROPFIND', 'MKCOL', 'FOO', 'BREW', 'LINK', 'CONNECT', 'TRACK']) {
      let request: RequestInit;
      try {
        new Request('https://api.test/', { method });
        request = { method };
      } catch {
        continue; // the runtime itself refuses to build such a request (fetch forbids CONNECT/TRACE/TRACK)
      }
      tried++;
      const outcome = await send(`/t/${tenantId}/accounts/acct/deposit`, request);
      expect(outcome, method).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
    }
    expect(tried).toBeGreaterThanOrEqual(3);
    await nothingStored(tenantId, 'acct');
    figures.add({ scenario: 'odd methods', tried, rejected: tried, lost: 0, duplicated: 0 });
  });

  it('10,000-deep JSON: 400 JSON_TOO_DEEP, not an engine message', async () => {
    const tenantId = uniqueId('attack-deep');
    for (const depth of [33, 1_000, 10_000]) {
      for (const [open, close] of [
        ['[', ']'],
        ['{"a":', '}'],
      ] as const) {
        const outcome = await send(
          `/t/${tenantId}/accounts/acct/deposit`,
          post(`{"amount":1,"memo":${open.repeat(depth)}1${close.repeat(depth)}}`),
        );
        expect(outcome).toMatchObject({ status: 400, code: 'JSON_TOO_DEEP' });
        expect(outcome.body.error.message).not.toMatch(/call stack/i);
      }
    }
    // Brackets inside strings are not nesting.
    const inString = await send(
      `/t/${tenantId}/accounts/acct/deposit`,
      post(JSON.stringify({ amount: 1, memo: '['.repeat(400) })),
    );
    expect(inString.status).toBe(200);
    figures.add({ scenario: 'deeply nested JSON', tried: 7, rejected: 6, accepted: 1, lost: 0, duplicated: 0 });
  });

  it('a malformed X-Correlation-Id: 400 INVALID_HEADER as docs/http.md promises, nothing stored', async () => {
    const tenantId = uniqueId('attack-correlation');
    for (const value of ['a b', 'x'.repeat(201), 'tab\there', 'ü']) {
      let init: RequestInit;
      try {
        init = post('{"amount":1}', { 'x-correlation-id': value });
        new Request('https://api.test/', init);
      } catch {
        continue;
      }
      const outcome = await send(`/t/${tenantId}/accounts/acct/deposit`, init);
      expect(outcome, value).toMatchObject({ status: 400, code: 'INVALID_HEADER' });
    }
    await nothingStored(tenantId, 'acct');
  });

  it('a lone surrogate in a JSON string: 400 VALIDATION_FAILED on that field, never stored differently in D1 than in the event', async () => {
    const tenantId = uniqueId('attack-surrogate');
    for (const memo of ['\\ud800', 'a\\udfffb', '\\ud83d']) {
      const outcome = await send(`/t/${tenantId}/accounts/acct/deposit`, post(`{"amount":1,"memo":"${memo}"}`));
      expect(outcome).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(outcome.body.error.details.issues[0].path).toBe('memo');
    }
    await nothingStored(tenantId, 'acct');
    const pair = await send(`/t/${tenantId}/accounts/acct/deposit`, post('{"amount":1,"memo":"\\ud83d\\ude00"}'));
    expect(pair.status).toBe(200);
  });

  it('reads and refused commands on unknown ids leave no Durable Object storage behind', async () => {
    const tenantId = uniqueId('attack-empty-objects');
    const client = accounts(testEnv, { tenantId });
    const ids = ['never-1', 'never-2', 'never-3'];
    expect((await client.account.state(ids[0]!)).version).toBe(0);
    expect((await http(`/t/${tenantId}/accounts/${ids[0]}`)).status).toBe(200);
    await client
      .account(ids[1]!)
      .freeze({ reason: 'x' })
      .catch(() => undefined); // UNAUTHORIZED
    await client
      .account(ids[2]!)
      .deposit({ amount: -1, memo: '' })
      .catch(() => undefined); // VALIDATION_FAILED
    for (const aggregateId of ids) {
      const tables = await inObject(accountStub({ tenantId, aggregateId }), (state) =>
        state.storage.sql
          .exec<{ name: string }>(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'",
          )
          .toArray()
          .map((r) => r.name),
      );
      expect(tables, aggregateId).toEqual([]);
    }
    // The first real write creates the tables as before.
    await client.account(ids[0]!).deposit({ amount: 1, memo: '' });
    expect(await doEvents(accountStub({ tenantId, aggregateId: ids[0]! }))).toHaveLength(1);
  });
});
