import { DeliveryPendingError } from '@escf/core';
import { InMemoryAggregates } from '@escf/testing';
import fc from 'fast-check';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { User } from '../../../test/fixtures/user.js';
import { CommandApi, escfErrors } from '../src/index.js';

/** The users API on an in-memory host: same HTTP layer as the deployed worker. */
function usersApi() {
  const host = new InMemoryAggregates();
  const app = new Hono();
  let nextId = 0;
  // An operator (role admin) may change any user: the guard on User.update admits it.
  const api = new CommandApi(app, {
    onServerError: () => {},
    authenticate: () => ({ id: 'operator', roles: ['admin'] }),
  })
    .command('post', '/users', {
      aggregate: User,
      command: 'create',
      status: 201,
      id: () => `user-${++nextId}`,
      client: (_c, id) => host.client(User, id),
      location: (id) => `/users/${id}`,
      maxBodyBytes: 4096,
    })
    .command('patch', '/users/:id', {
      aggregate: User,
      command: 'update',
      id: (c) => c.req.param('id')!,
      client: (_c, id) => host.client(User, id),
    })
    .command('post', '/users/:id/authenticate', {
      aggregate: User,
      command: 'authenticate',
      id: (c) => c.req.param('id')!,
      client: (_c, id) => host.client(User, id),
    })
    .serveOpenApi('/openapi.json', { title: 'Users', version: '1.0.0' });
  app.get('/boom', () => {
    throw new Error('secret internals');
  });
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const stored = async () => (await host.store.readAll({ limit: 10_000 })).length;
  return { app, api, send, stored };
}

const ada = { name: 'Ada', email: 'ada@example.com', password: 'correct horse battery' };

describe('CommandApi', () => {
  it('creates: 201, Location, ETag and the new version', async () => {
    const { send } = usersApi();
    const response = await send('POST', '/users', ada);
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/users/user-1');
    expect(response.headers.get('etag')).toBe('"2"');
    expect(await response.json()).toEqual({
      id: 'user-1',
      version: 2,
      events: ['UserCreated', 'UserEmailVerificationIssued'],
    });
  });

  it('answers bad input with 400 and per-field issues, storing nothing', async () => {
    const { send, stored } = usersApi();
    const response = await send('POST', '/users', { name: '', email: 'nope', password: 'x' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: { issues: Array<{ path: string }> } } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.issues.map((i) => i.path).sort()).toEqual(['email', 'name', 'password']);
    expect(await stored()).toBe(0);
  });

  it.each([
    ['malformed JSON', '{"name": ', {}, 400, 'MALFORMED_JSON'],
    ['a prototype key', '{"name":"a","__proto__":{"admin":true}}', {}, 400, 'FORBIDDEN_KEY'],
    ['a nested constructor key', '{"name":"a","x":{"constructor":{"prototype":{}}}}', {}, 400, 'FORBIDDEN_KEY'],
    [
      'the wrong content type',
      'name=ada',
      { 'content-type': 'application/x-www-form-urlencoded' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    ['an oversized body', JSON.stringify({ ...ada, name: 'x'.repeat(10_000) }), {}, 413, 'PAYLOAD_TOO_LARGE'],
    ['a malformed If-Match', ada, { 'if-match': 'yesterday' }, 400, 'INVALID_HEADER'],
    ['a malformed Idempotency-Key', ada, { 'idempotency-key': 'with space' }, 400, 'INVALID_HEADER'],
  ] as const)('rejects %s', async (_, body, headers, status, code) => {
    const { send, stored } = usersApi();
    const response = await send('POST', '/users', body, headers);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    expect(await stored()).toBe(0);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('counts bytes as they stream, whatever Content-Length says; discards (never buffers) the rest up to a bound, then stops reading', async () => {
    const { app } = usersApi();
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 1_000)
          controller.enqueue(chunk); // 64 MiB if read to the end
        else controller.close();
      },
    });
    const response = await app.request('/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    // Drained up to 8 MiB so a client still sending gets the 413, then cancelled.
    expect(sent).toBeLessThan(200);
  });

  it('maps domain errors to 401, 404, 409 and optimistic concurrency to 409', async () => {
    const { send } = usersApi();
    await send('POST', '/users', ada);
    expect((await send('POST', '/users/user-1/authenticate', { password: 'wrong' })).status).toBe(401);
    expect((await send('POST', '/users/user-1/authenticate', { password: ada.password })).status).toBe(200);
    expect((await send('PATCH', '/users/nobody', { name: 'X' })).status).toBe(404);
    const stale = await send('PATCH', '/users/user-1', { name: 'X' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe('CONCURRENCY_CONFLICT');
    const fresh = await send('PATCH', '/users/user-1', { name: 'X' }, { 'if-match': '"3"' });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('etag')).toBe('"4"');
  });

  it('returns the first result for a repeated Idempotency-Key and appends nothing', async () => {
    const { send, stored } = usersApi();
    await send('POST', '/users', ada);
    const first = await send('PATCH', '/users/user-1', { name: 'Ada L' }, { 'idempotency-key': 'rename-1' });
    const again = await send('PATCH', '/users/user-1', { name: 'Ada L' }, { 'idempotency-key': 'rename-1' });
    expect(await again.json()).toEqual(await first.json());
    expect(await stored()).toBe(3);
  });

  it('lets a creation derive its id asynchronously from the Idempotency-Key, so a retried POST creates once', async () => {
    const host = new InMemoryAggregates();
    const app = new Hono();
    new CommandApi(app, { onServerError: () => {} }).command('post', '/users', {
      aggregate: User,
      command: 'create',
      status: 201,
      id: async (c) => {
        const key = c.req.header('idempotency-key');
        if (key === undefined) return crypto.randomUUID();
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key)));
        return Array.from(digest.slice(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
      },
      client: (_c, id) => host.client(User, id),
    });
    const post = () =>
      app.request('/users', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'signup-1' },
        body: JSON.stringify(ada),
      });
    const first = await post();
    const again = await post();
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual(await first.json());
    expect((await host.store.readAll({ limit: 100 })).length).toBe(2);
  });

  it('answers a committed command whose delivery is pending with 202 and its result, not an error', async () => {
    const app = new Hono();
    const committed = { aggregateType: 'User', aggregateId: 'u-1', version: 2, events: [] };
    new CommandApi(app).command('post', '/users', {
      aggregate: User,
      command: 'create',
      status: 201,
      id: () => 'u-1',
      // A sync client whose delivery failed after the commit (what executeSync answers).
      client: () =>
        ({
          create: async () =>
            Promise.reject(
              new DeliveryPendingError('pending', { details: { version: 2, reason: 'D1 down', result: committed } }),
            ),
        }) as never,
      location: (id) => `/users/${id}`,
    });
    const response = await app.request('/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ada),
    });
    expect(response.status).toBe(202);
    expect(response.headers.get('escf-delivery')).toBe('pending');
    expect(response.headers.get('etag')).toBe('"2"');
    expect(response.headers.get('location')).toBe('/users/u-1');
    expect(await response.json()).toEqual({ id: 'u-1', version: 2, events: [] });
    // Outside CommandApi, the error handler answers it with 202 too, never 422.
    const plain = new Hono();
    plain.onError(escfErrors());
    plain.get('/x', () => {
      throw new DeliveryPendingError('pending', { details: { version: 2, reason: 'D1 down' } });
    });
    const fallback = await plain.request('/x');
    expect(fallback.status).toBe(202);
    expect(((await fallback.json()) as { error: { code: string } }).error.code).toBe('DELIVERY_PENDING');
  });

  it('answers an Idempotency-Key reused with another body with 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const { send, stored } = usersApi();
    expect((await send('POST', '/users', ada)).status).toBe(201);
    expect((await send('PATCH', '/users/user-1', { name: 'Eve' }, { 'idempotency-key': 'rename-1' })).status).toBe(200);
    expect((await send('PATCH', '/users/user-1', { name: 'Eve' }, { 'idempotency-key': 'rename-1' })).status).toBe(200);
    const reused = await send('PATCH', '/users/user-1', { name: 'Mallory' }, { 'idempotency-key': 'rename-1' });
    expect(reused.status).toBe(422);
    expect(((await reused.json()) as { error: { code: string } }).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await stored()).toBe(3);
  });

  it('answers unknown routes with a JSON 404 and a code', async () => {
    const { app } = usersApi();
    const response = await app.request('/nowhere', { method: 'POST' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: 'ROUTE_NOT_FOUND', message: 'No route for POST /nowhere' },
    });
  });

  it('hides internals of unexpected errors behind 500 INTERNAL', async () => {
    const { app } = usersApi();
    const response = await app.request('/boom');
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { code: 'INTERNAL', message: 'Internal error' } });
  });

  it('never answers arbitrary JSON bodies with a 5xx, and stores nothing unless it answers 201', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.constantFrom('/users', '/users/user-1/authenticate'), async (body, path) => {
        const { send, stored } = usersApi();
        const response = await send('POST', path, JSON.stringify(body));
        expect(response.status).toBeLessThan(500);
        if (response.status !== 201) expect(await stored()).toBe(0);
      }),
      { numRuns: 150 },
    );
  });

  it('describes every command route in an OpenAPI document, with input schemas from zod and class-validator', async () => {
    const { app } = usersApi();
    const document = (await (await app.request('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            operationId: string;
            requestBody: { content: { 'application/json': { schema: Record<string, unknown> } } };
            responses: Record<string, unknown>;
          }
        >
      >;
    };
    expect(document.openapi).toBe('3.1.0');
    const create = document.paths['/users']!.post!;
    expect(create.operationId).toBe('User.create');
    expect(create.requestBody.content['application/json'].schema).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['name', 'email', 'password']),
      properties: { email: { type: 'string', format: 'email' }, password: { type: 'string', minLength: 8 } },
      additionalProperties: false,
    });
    const update = document.paths['/users/{id}']!.patch!;
    expect(update.requestBody.content['application/json'].schema).toMatchObject({
      properties: { name: { type: 'string' } },
      additionalProperties: false,
    });
    expect(Object.keys(create.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '404', '409', '413', '415', '422']),
    );
  });
});
