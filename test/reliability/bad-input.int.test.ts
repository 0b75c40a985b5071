// Bad input, generated with fast-check, at the HTTP API (@escf/hono routes in front
// of real Durable Objects) and at the typed client: every answer is a 4xx
// with a stable code (never a 500), and a refused request stores nothing —
// checked in each touched object's SQLite and in D1.
import { EscfError } from '@escf/core';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Figures } from './figures.js';
import { accountStub, accounts, d1EventsWhere, doEvents, http, testEnv, uniqueId } from './helpers.js';

const figures = new Figures('bad input');
afterAll(() => figures.print());

/** Codes a refused request may carry; anything else (or a 5xx) fails the suite. */
const INPUT_CODES = new Set([
  'MALFORMED_JSON',
  'FORBIDDEN_KEY',
  'VALIDATION_FAILED',
  'UNKNOWN_COMMAND',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INVALID_HEADER',
  'EVENT_TOO_LARGE',
  'NOT_FOUND',
  'CONFLICT',
  // A path segment of '.' or '..' is resolved away by URL parsing, so no route matches: a JSON 404.
  'ROUTE_NOT_FOUND',
]);

const NASTY_STRINGS = [
  '.',
  '..',
  '../',
  '../../etc/passwd',
  '..%2F..%2F',
  "'; DROP TABLE escf_events; --",
  '" OR 1=1 --',
  '%00',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '\u202eevil',
  '\u200f\u05e9\u05dc\u05d5\u05dd',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  'e\u0301',
  '\ufeff',
  '\uffff',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '$where',
  '{{7*7}}',
  '<script>alert(1)</script>',
  ' ',
  '\n',
  '\\',
  '/',
  'x'.repeat(513),
  'y'.repeat(5000),
];

const nastyString = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const wellFormed = (s: string) => !LONE_SURROGATE.test(s);
const pathString = nastyString.filter(wellFormed);

/**
 * URL parsing removes the dot segments '.' and '..' from a path (RFC 3986), also percent-encoded:
 * a path segment that is one reaches no route (404 ROUTE_NOT_FOUND).
 */
const isDotSegment = (segment: string) => segment === '.' || segment === '..';

interface Outcome {
  readonly status: number;
  readonly code?: string;
}

/** Tallies outcomes and fails on any 5xx or unknown code. */
class Tally {
  tried = 0;
  accepted = 0;
  rejected = 0;
  readonly touched = new Map<string, { tenantId: string; aggregateId: string }>();

  async send(path: string, init: RequestInit): Promise<Outcome & { body: any }> {
    this.tried++;
    const response = await http(path, init);
    const text = await response.text();
    let body: any = null;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(
        `${init.method ?? 'GET'} ${path} → ${response.status} with a non-JSON body: ${text.slice(0, 200)}`,
      );
    }
    expect(response.status, `${path} → ${text.slice(0, 300)}`).toBeLessThan(500);
    if (response.status >= 400) {
      this.rejected++;
      expect(INPUT_CODES, `unexpected code in ${text.slice(0, 300)}`).toContain(body?.error?.code);
      return { status: response.status, code: body.error.code, body };
    }
    this.accepted++;
    return { status: response.status, body };
  }
}

const json = (body: string, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body,
});

const enc = encodeURIComponent;

/** Nothing stored anywhere for this tenant: no D1 row, no event in any touched object. */
async function expectNothingStored(
  tenantId: string,
  touched: Iterable<{ tenantId: string; aggregateId: string }>,
): Promise<void> {
  expect(await d1EventsWhere('tenant_id = ?', tenantId)).toEqual([]);
  for (const address of touched) {
    if (address.aggregateId.length > 512 || address.aggregateId.length === 0) continue; // never an object
    expect(await doEvents(accountStub(address)), JSON.stringify(address)).toEqual([]);
  }
}

describe('bad input at the HTTP API', () => {
  it('malformed JSON, wrong content types, oversized bodies and bad headers: 4xx with a stable code, nothing stored', async () => {
    const tenantId = uniqueId('fuzz-syntax');
    const tally = new Tally();
    const aggregateId = 'acct';
    const notJson = fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }).filter((s) => {
      if (s.trim() === '') return false;
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    });
    await fc.assert(
      fc.asyncProperty(notJson, async (body) => {
        const outcome = await tally.send(`/t/${tenantId}/accounts/${aggregateId}/deposit`, json(body));
        expect(outcome).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
      }),
      { numRuns: 80 },
    );
    // Bytes that are not UTF-8 at all.
    for (const bytes of [
      [0xff, 0xfe, 0x7b, 0x7d],
      [0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d],
      [0xed, 0xa0, 0x80],
    ]) {
      const outcome = await tally.send(
        `/t/${tenantId}/accounts/${aggregateId}/deposit`,
        json(new Uint8Array(bytes) as unknown as string),
      );
      expect(outcome).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
    }
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data',
          'application/jsonp',
          '',
        ),
        async (type) => {
          const outcome = await tally.send(`/t/${tenantId}/accounts/${aggregateId}/deposit`, {
            method: 'POST',
            headers: { 'content-type': type },
            body: '{"amount":1}',
          });
          expect(outcome).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
        },
      ),
      { numRuns: 10 },
    );
    // Bodies over the route's 64 KiB limit: refused while streaming, before parsing.
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 64 * 1024 + 1, max: 3 << 20 }), async (size) => {
        const body = `{"amount":1,"memo":"${'m'.repeat(size)}"}`;
        const outcome = await tally.send(`/t/${tenantId}/accounts/${aggregateId}/deposit`, json(body));
        expect(outcome).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
      }),
      { numRuns: 8 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc
          .string({
            unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
            minLength: 1,
            maxLength: 30,
          })
          .filter((s) => s.trim() !== '' && !/^\s*(?:W\/)?"?\d{1,15}"?\s*$/.test(s)),
        async (ifMatch) => {
          // (A value of only spaces is trimmed away by HTTP: the request has no If-Match at all.)
          const outcome = await tally.send(
            `/t/${tenantId}/accounts/${aggregateId}/deposit`,
            json('{"amount":1}', { 'if-match': ifMatch }),
          );
          expect(outcome).toMatchObject({ status: 400, code: 'INVALID_HEADER' });
        },
      ),
      { numRuns: 30 },
    );
    tally.touched.set(aggregateId, { tenantId, aggregateId });
    await expectNothingStored(tenantId, tally.touched.values());
    figures.add({
      scenario: 'HTTP: syntax, media type, size, headers',
      tried: tally.tried,
      accepted: tally.accepted,
      rejected: tally.rejected,
      lost: 0,
      duplicated: 0,
    });
    expect(tally.accepted).toBe(0);
  });

  it('prototype-pollution keys anywhere in the body: 400 FORBIDDEN_KEY, nothing stored, no prototype touched', async () => {
    const tenantId = uniqueId('fuzz-proto');
    const tally = new Tally();
    const key = fc.constantFrom('__proto__', 'constructor', 'prototype');
    // A JSON document with a forbidden key placed at a random depth.
    const polluted = fc
      .tuple(
        key,
        fc.array(
          fc.string({ maxLength: 8 }).filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k)),
          { maxLength: 4 },
        ),
        fc.jsonValue({ maxDepth: 2 }),
      )
      .map(([bad, path, value]) => {
        let doc = `{${JSON.stringify(bad)}:${JSON.stringify(value ?? null)},"polluted":true}`;
        for (const segment of path.reverse()) doc = `{"amount":1,${JSON.stringify(segment)}:${doc}}`;
        return doc;
      });
    await fc.assert(
      fc.asyncProperty(polluted, fc.constantFrom('deposit', 'open', 'note'), async (body, command) => {
        const outcome = await tally.send(`/t/${tenantId}/accounts/acct/${command}`, json(body));
        expect(outcome).toMatchObject({ status: 400, code: 'FORBIDDEN_KEY' });
      }),
      { numRuns: 80 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await expectNothingStored(tenantId, [{ tenantId, aggregateId: 'acct' }]);
    figures.add({
      scenario: 'HTTP: prototype-pollution keys',
      tried: tally.tried,
      accepted: tally.accepted,
      rejected: tally.rejected,
      lost: 0,
      duplicated: 0,
    });
  });

  it('wrong types and extra fields: refused with VALIDATION_FAILED, or stored with exactly the schema’s fields', async () => {
    const tenantId = uniqueId('fuzz-types');
    const tally = new Tally();
    // Prototype keys at any depth are refused with FORBIDDEN_KEY before validation; their own test covers them.
    const plainJson = fc
      .jsonValue({ maxDepth: 1 })
      .filter((value) => !/"(__proto__|constructor|prototype)":/.test(JSON.stringify(value)));
    const amount = fc.oneof(plainJson, fc.integer({ min: -5, max: 2_000_000 }), fc.constant(1), fc.double());
    const memo = fc.oneof(plainJson, nastyString, fc.constant(undefined));
    const extras = fc.dictionary(
      fc
        .string({ maxLength: 10 })
        .filter((k) => !['__proto__', 'constructor', 'prototype', 'amount', 'memo'].includes(k)),
      plainJson,
      { maxKeys: 3 },
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(amount, memo, extras, async (a, m, extra) => {
        const aggregateId = `acct-${++n}`;
        tally.touched.set(aggregateId, { tenantId, aggregateId });
        const input = { ...extra, amount: a, ...(m === undefined ? {} : { memo: m }) };
        // Lone surrogates are refused (they cannot be stored the same way everywhere).
        const valid =
          Number.isInteger(a) &&
          (a as number) >= 1 &&
          (a as number) <= 1_000_000 &&
          (m === undefined || (typeof m === 'string' && m.length <= 500 && wellFormed(m)));
        const outcome = await tally.send(
          `/t/${tenantId}/accounts/${enc(aggregateId)}/deposit`,
          json(JSON.stringify(input)),
        );
        const stored = await doEvents(accountStub({ tenantId, aggregateId }));
        if (!valid) {
          expect(outcome).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
          expect(outcome.body.error.details.issues.length).toBeGreaterThan(0);
          expect(stored).toEqual([]);
        } else {
          expect(outcome.status).toBe(200);
          expect(stored).toHaveLength(1);
          // Extra fields never reach the event; strings round-trip exactly.
          expect(JSON.parse(stored[0]!.payload)).toStrictEqual({ amount: a, memo: m ?? '' });
        }
      }),
      { numRuns: 120 },
    );
    figures.add({
      scenario: 'HTTP: wrong types, extra fields',
      tried: tally.tried,
      accepted: tally.accepted,
      rejected: tally.rejected,
      lost: 0,
      duplicated: 0,
    });
    expect(tally.rejected).toBeGreaterThan(0);
  });

  it('unicode edge cases round-trip exactly through HTTP, the aggregate, D1 and state', async () => {
    const tenantId = uniqueId('fuzz-unicode');
    const tally = new Tally();
    let n = 0;
    const owners = fc.oneof(
      fc.constantFrom(...NASTY_STRINGS.filter((s) => s.length <= 100 && s.length > 0)),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(owners, async (owner) => {
        const aggregateId = `u-${++n}`;
        const outcome = await tally.send(
          `/t/${tenantId}/accounts/${aggregateId}/open`,
          json(JSON.stringify({ owner })),
        );
        // class-validator's Length counts UTF-16 units: 1..100.
        // Lone surrogates cannot be stored the same way everywhere (UTF-8 in D1): refused.
        if (owner.length > 100 || !wellFormed(owner)) return void expect(outcome.code).toBe('VALIDATION_FAILED');
        expect(outcome.status).toBe(201);
        const state = await accounts(testEnv, { tenantId }).account.state(aggregateId);
        expect(state.state.owner).toBe(owner);
        const [event] = await doEvents(accountStub({ tenantId, aggregateId }));
        expect(JSON.parse(event!.payload)).toStrictEqual({ owner });
      }),
      { numRuns: 60 },
    );
    figures.add({
      scenario: 'HTTP: unicode round trip',
      tried: tally.tried,
      accepted: tally.accepted,
      rejected: tally.rejected,
      lost: 0,
      duplicated: 0,
    });
  });

  it('ids and tenants with path, SQL and control characters: stored under exactly that id, or refused; never a 500', async () => {
    const run = uniqueId('fuzz-ids');
    const tally = new Tally();
    const accepted: Array<{ tenantId: string; aggregateId: string }> = [];
    await fc.assert(
      // URLs cannot carry lone surrogates (encodeURIComponent throws): those ids are fuzzed at the typed client below.
      fc.asyncProperty(
        pathString.filter((s) => s.length > 0),
        fc.oneof(fc.constant(''), pathString),
        async (aggregateId, tenantSuffix) => {
          const tenantId = `${run}${tenantSuffix}`;
          const outcome = await tally.send(
            `/t/${enc(tenantId)}/accounts/${enc(aggregateId)}/deposit`,
            json('{"amount":7}'),
          );
          // Such an id cannot be addressed in a URL (the typed client below can use it).
          if (isDotSegment(aggregateId)) {
            expect(outcome).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
            return;
          }
          if (outcome.status >= 400) {
            expect(outcome.code).toBe('VALIDATION_FAILED'); // only over-long ids and tenants, and ids with control characters, are refused
            expect(aggregateId.length > 512 || tenantId.length > 512 || /[\u0000-\u001f\u007f]/.test(aggregateId)).toBe(
              true,
            );
            return;
          }
          accepted.push({ tenantId, aggregateId });
          expect(outcome.body.id).toBe(aggregateId);
          const state = await (await http(`/t/${enc(tenantId)}/accounts/${enc(aggregateId)}`)).json<{
            state: { balance: number };
          }>();
          expect(state.state.balance).toBeGreaterThanOrEqual(7);
        },
      ),
      { numRuns: 80 },
    );
    // The D1 log holds every accepted command under exactly its id and tenant, and its tables survived.
    for (const address of accepted) await flush(address);
    const stored = await d1EventsWhere('substr(tenant_id, 1, length(?1)) = ?1', run);
    const expected = new Map<string, number>();
    for (const a of accepted)
      expected.set(
        JSON.stringify([a.tenantId, a.aggregateId]),
        (expected.get(JSON.stringify([a.tenantId, a.aggregateId])) ?? 0) + 1,
      );
    const actual = new Map<string, number>();
    for (const e of stored)
      actual.set(
        JSON.stringify([e.tenantId, e.aggregateId]),
        (actual.get(JSON.stringify([e.tenantId, e.aggregateId])) ?? 0) + 1,
      );
    expect(actual).toEqual(expected);
    expect(
      await testEnv.ESCF_EVENTS.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'escf_events'").first(
        'n',
      ),
    ).toBe(1);
    figures.add({
      scenario: 'HTTP: hostile ids and tenants',
      tried: tally.tried,
      accepted: tally.accepted,
      rejected: tally.rejected,
      eventsVerified: stored.length,
      lost: 0,
      duplicated: 0,
    });
  });

  it('unknown commands (including inherited and internal method names): 400 UNKNOWN_COMMAND, nothing stored', async () => {
    const tenantId = uniqueId('fuzz-commands');
    const tally = new Tally();
    const names = fc.oneof(
      fc.constantFrom(
        'constructor',
        '__proto__',
        'toString',
        'hasOwnProperty',
        'then',
        'initialState',
        'opened',
        'deposited',
        'state',
        'apply',
        'valueOf',
        'Open',
        'open ',
        'deposit\u0000',
      ),
      fc
        .string({ minLength: 1, maxLength: 30 })
        .filter((s) => !['open', 'deposit', 'note', 'poke', 'setEmail', 'freeze'].includes(s)),
      fc.constantFrom('.', '..'),
    );
    await fc.assert(
      fc.asyncProperty(names, async (command) => {
        const outcome = await tally.send(
          `/t/${tenantId}/accounts/acct/commands/${enc(command)}`,
          json('{"amount":1,"owner":"x","text":"t"}'),
        );
        if (isDotSegment(command))
          return void expect(outcome, command).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
        expect(outcome, command).toMatchObject({ status: 400, code: 'UNKNOWN_COMMAND' });
      }),
      { numRuns: 60 },
    );
    await expectNothingStored(tenantId, [{ tenantId, aggregateId: 'acct' }]);
    figures.add({
      scenario: 'HTTP: unknown commands',
      tried: tally.tried,
      accepted: tally.accepted,
      rejected: tally.rejected,
      lost: 0,
      duplicated: 0,
    });
  });
});

/** Drains an account's outbox now (D1 and queue), instead of waiting for its alarm. */
async function flush(address: { tenantId: string; aggregateId: string }): Promise<void> {
  const stub = accountStub(address) as unknown as { flushOutbox(): Promise<{ failures: string[] }> };
  expect((await stub.flushOutbox()).failures).toEqual([]);
}

describe('bad input at the typed client', () => {
  it('any structured-clonable value as input: a typed 4xx error or a valid event, never INTERNAL', async () => {
    const tenantId = uniqueId('fuzz-client');
    let tried = 0;
    let accepted = 0;
    let rejected = 0;
    let n = 0;
    const value = fc.anything({
      maxDepth: 2,
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withTypedArray: true,
      withSparseArray: true,
      withBoxedValues: true,
    });
    const input = fc.oneof(
      value,
      fc.record({ amount: value, memo: value }, { requiredKeys: [] }),
      fc.record({ owner: value }),
      fc.record({ text: value }),
    );
    await fc.assert(
      fc.asyncProperty(input, fc.constantFrom('open', 'deposit', 'note', 'poke'), async (payload, command) => {
        tried++;
        const aggregateId = `c-${++n}`;
        const client = accounts(testEnv, { tenantId }).account(aggregateId) as unknown as Record<
          string,
          (input: unknown) => Promise<{ version: number }>
        >;
        const outcome = await client[command]!(payload).then(
          (r) => ({ ok: true as const, version: r.version }),
          (e: unknown) => ({ ok: false as const, error: e }),
        );
        const stored = await doEvents(accountStub({ tenantId, aggregateId }));
        if (outcome.ok) {
          accepted++;
          expect(stored).toHaveLength(1);
        } else {
          rejected++;
          const error = outcome.error as EscfError;
          expect(error, String(error)).toBeInstanceOf(EscfError);
          expect(error.code).toBe('VALIDATION_FAILED');
          expect(stored).toEqual([]);
        }
      }),
      { numRuns: 150 },
    );
    figures.add({ scenario: 'typed client: arbitrary inputs', tried, accepted, rejected, lost: 0, duplicated: 0 });
    expect(rejected).toBeGreaterThan(0);
  });

  it('hostile ids and tenants at the client and forged addresses at the host: refused with a code, or isolated', async () => {
    let tried = 0;
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(nastyString, fc.constant('')), async (aggregateId) => {
        tried++;
        const result = await accounts(testEnv, { tenantId: uniqueId('fuzz-client-ids') })
          .account(aggregateId)
          .deposit({ amount: 1, memo: '' })
          .catch((e: unknown) => e);
        if (aggregateId.length === 0 || aggregateId.length > 512 || !wellFormed(aggregateId)) {
          rejected++;
          // Checked as a boolean: a diff holding a lone surrogate would break vitest's own reporting channel.
          expect((result as EscfError).code === 'VALIDATION_FAILED', 'hostile id refused with VALIDATION_FAILED').toBe(
            true,
          );
        } else
          expect(
            (result as { aggregateId?: string }).aggregateId === aggregateId &&
              (result as { version?: number }).version === 1,
            'id stored as given',
          ).toBe(true);
      }),
      { numRuns: 60 },
    );
    // An address that does not match the object's name is refused before anything is read or stored.
    const tenantId = uniqueId('fuzz-forged');
    const stub = accountStub({ tenantId, aggregateId: 'victim' }) as unknown as {
      execute(r: unknown): Promise<{ ok: boolean; error?: { code: string } }>;
    };
    for (const address of [
      { aggregateId: 'victim' },
      { tenantId: 'other', aggregateId: 'victim' },
      { tenantId, aggregateId: 'other' },
      null,
      'victim',
      { aggregateId: 42 },
    ]) {
      tried++;
      rejected++;
      const reply = await stub.execute({ address, command: 'deposit', input: { amount: 1 } });
      expect(reply.ok).toBe(false);
      expect(['FORBIDDEN', 'VALIDATION_FAILED']).toContain(reply.error!.code);
    }
    expect(await doEvents(accountStub({ tenantId, aggregateId: 'victim' }))).toEqual([]);
    figures.add({
      scenario: 'typed client: hostile ids, forged addresses',
      tried,
      rejected,
      accepted: tried - rejected,
      lost: 0,
      duplicated: 0,
    });
  });
});
