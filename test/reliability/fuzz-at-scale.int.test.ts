// Bad input at scale: 10,000+ generated bad requests per run across ids,
// headers, bodies (malformed, deep, oversized and chunked), content types and
// methods, sent in concurrent batches straight to the API's Hono app (the
// same app the worker serves). Every one must be a JSON 4xx with the code
// its flaw calls for; nothing may be stored.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Figures } from './figures.js';
import { accountStub, d1EventsWhere, doEvents, testEnv, uniqueId } from './helpers.js';
import { httpApi } from './worker.js';

const figures = new Figures('fuzz at scale');
afterAll(() => figures.print());

const app = httpApi();
const BATCH = 50;
const BATCHES = 210; // 10,500 requests

interface BadRequest {
  readonly kind: string;
  readonly path: string;
  readonly init: RequestInit;
  /** The codes this flaw may be answered with. */
  readonly codes: readonly string[];
}

const printable = fc.string({
  unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
  minLength: 1,
  maxLength: 12,
});
const control = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));

/** Methods outside the API's set that the runtime lets a Request carry (workerd refuses made-up ones). */
const ODD_METHODS = [
  'CONNECT',
  'TRACE',
  'TRACK',
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
  'SEARCH',
  'REPORT',
  'PURGE',
  'LINK',
  'UNLINK',
  'BIND',
  'REBIND',
  'UNBIND',
  'ACL',
  'MERGE',
  'CHECKOUT',
  'MKACTIVITY',
  'MSEARCH',
  'NOTIFY',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'SOURCE',
  'FOO',
].filter((method) => {
  try {
    new Request('https://api.test/', { method });
    return true;
  } catch {
    return false;
  }
});

function generators(tenantId: string): fc.Arbitrary<BadRequest> {
  const route = (id: string, command = 'deposit') => `/t/${tenantId}/accounts/${encodeURIComponent(id)}/${command}`;
  const json = (body: BodyInit, headers: Record<string, string> = {}): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const badId = fc.oneof(
    fc.tuple(printable, control, printable).map(([a, c, b]) => `${a}${c}${b}`),
    fc.integer({ min: 513, max: 2_000 }).map((n) => 'i'.repeat(n)),
  );
  const ids = fc.tuple(badId, fc.constantFrom('deposit', 'open')).map(
    ([id, command]): BadRequest => ({
      kind: 'id',
      path: route(id, command),
      init: json(command === 'open' ? '{"owner":"x"}' : '{"amount":1}'),
      codes: ['VALIDATION_FAILED'],
    }),
  );
  const headers = fc
    .oneof(
      printable.filter((v) => !/^(?:W\/)?"?\d{1,15}"?$/.test(v)).map((v) => ({ 'if-match': v })),
      fc.tuple(printable, printable).map(([a, b]) => ({ 'idempotency-key': `${a} ${b}` })),
      fc.integer({ min: 201, max: 400 }).map((n) => ({ 'idempotency-key': 'k'.repeat(n) })),
      fc.tuple(printable, printable).map(([a, b]) => ({ 'x-correlation-id': `${a} ${b}` })),
      fc.integer({ min: 201, max: 400 }).map((n) => ({ 'x-correlation-id': 'c'.repeat(n) })),
    )
    .map(
      (h): BadRequest => ({
        kind: 'header',
        path: route('acct'),
        init: json('{"amount":1}', h),
        codes: ['INVALID_HEADER'],
      }),
    );
  const malformed = fc
    .oneof(
      fc.constantFrom(
        '{',
        '}',
        '{"amount":',
        '[1,',
        '{"amount":1,}',
        "{'amount':1}",
        'nul',
        'tru',
        '{"a":1}{',
        '"\\x"',
        '{"amount":01}',
        'NaN',
        '{amount:1}',
      ),
      fc.tuple(printable, fc.constantFrom('{', '[', '"', ',')).map(([a, b]) => `{${a}${b}`),
    )
    .map(
      (body): BadRequest => ({
        kind: 'malformed body',
        path: route('acct'),
        init: json(body),
        codes: ['MALFORMED_JSON'],
      }),
    );
  const deep = fc.tuple(fc.integer({ min: 33, max: 8_000 }), fc.boolean()).map(
    ([depth, arrays]): BadRequest => ({
      kind: 'deep body',
      path: route('acct'),
      init: json(
        arrays
          ? `{"amount":1,"memo":${'['.repeat(depth)}${']'.repeat(depth)}}`
          : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
      ),
      codes: ['JSON_TOO_DEEP'],
    }),
  );
  const oversized = fc
    .tuple(fc.integer({ min: 64 * 1024 + 1, max: 200 * 1024 }), fc.boolean())
    .map(([size, chunked]): BadRequest => {
      const text = `{"amount":1,"memo":"${'m'.repeat(size)}"}`;
      const body = chunked
        ? new ReadableStream<Uint8Array>({
            start(controller) {
              const bytes = new TextEncoder().encode(text);
              for (let at = 0; at < bytes.length; at += 16 * 1024)
                controller.enqueue(bytes.subarray(at, at + 16 * 1024));
              controller.close();
            },
          })
        : text;
      return {
        kind: chunked ? 'oversized chunked body' : 'oversized body',
        path: route('acct'),
        init: { ...json(body), duplex: 'half' } as RequestInit,
        codes: ['PAYLOAD_TOO_LARGE'],
      };
    });
  const mediaType = fc
    .constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      'application/jsonp',
      'text/json',
      'application/xml',
    )
    .map(
      (type): BadRequest => ({
        kind: 'media type',
        path: route('acct'),
        init: { method: 'POST', headers: { 'content-type': type }, body: '{"amount":1}' },
        codes: ['UNSUPPORTED_MEDIA_TYPE'],
      }),
    );
  const method = fc
    .constantFrom(...ODD_METHODS)
    .map(
      (m): BadRequest => ({ kind: 'method', path: route('acct'), init: { method: m }, codes: ['METHOD_NOT_ALLOWED'] }),
    );
  const invalidFields = fc
    .oneof(
      fc.record({
        amount: fc.oneof(
          fc.integer({ max: 0 }),
          fc.integer({ min: 1_000_001 }),
          fc.string({ maxLength: 5 }),
          fc.constant(null),
        ),
      }),
      fc.record({ amount: fc.constant(1), memo: fc.string({ minLength: 501, maxLength: 600 }) }),
    )
    .map(
      (input): BadRequest => ({
        kind: 'invalid fields',
        path: route('acct'),
        init: json(JSON.stringify(input)),
        codes: ['VALIDATION_FAILED'],
      }),
    );
  return fc.oneof(ids, headers, malformed, deep, oversized, mediaType, method, invalidFields);
}

describe('bad input at scale', () => {
  it('10,000+ generated bad requests in concurrent batches: each a JSON 4xx with its code, 0 × 5xx, nothing stored', async () => {
    const tenantId = uniqueId('fuzz-scale');
    const byKind = new Map<string, number>();
    let tried = 0;
    let serverErrors = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(generators(tenantId), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const outcomes = await Promise.all(
          batch.map(async (bad) => {
            const response = await app.fetch(new Request(`https://api.test${bad.path}`, bad.init), testEnv);
            const text = await response.text();
            return { bad, status: response.status, text };
          }),
        );
        for (const { bad, status, text } of outcomes) {
          tried++;
          byKind.set(bad.kind, (byKind.get(bad.kind) ?? 0) + 1);
          if (status >= 500) serverErrors++;
          let code: unknown;
          try {
            code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
          } catch {
            code = `non-JSON body ${text.slice(0, 80)}`;
          }
          if (status < 400 || status >= 500 || !bad.codes.includes(code as string)) {
            expect.fail(`${bad.kind} ${bad.init.method} ${bad.path.slice(0, 120)} → ${status} ${String(code)}`);
          }
        }
      }),
      { numRuns: BATCHES },
    );
    // Nothing reached any store: no D1 row for the tenant, no event in its account.
    expect(await d1EventsWhere('tenant_id = ?', tenantId)).toEqual([]);
    expect(await doEvents(accountStub({ tenantId, aggregateId: 'acct' }))).toEqual([]);
    expect(serverErrors).toBe(0);
    expect(tried).toBeGreaterThanOrEqual(10_000);
    expect(ODD_METHODS.length).toBeGreaterThan(0);
    for (const [kind, count] of byKind)
      figures.add({
        scenario: `HTTP at scale: ${kind}`,
        tried: count,
        rejected: count,
        accepted: 0,
        lost: 0,
        duplicated: 0,
      });
    figures.add({
      scenario: 'HTTP at scale: total',
      tried,
      rejected: tried,
      accepted: 0,
      lost: 0,
      duplicated: 0,
      unexpectedErrors: serverErrors,
    });
  }, 240_000);
});
