import SwaggerParser from '@apidevtools/swagger-parser';
import { NotFound } from '@escf/core';
import { InMemoryAggregates } from '@escf/testing';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { User } from '../../../test/fixtures/user.js';
import {
  escfErrors,
  escfMiddleware,
  escfNotFound,
  openApiHandler,
  principalOf,
  resource,
  routes,
} from '../src/index.js';

const UserView = z.object({ id: z.string(), version: z.number().int() });
const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).optional(), q: z.string().max(50) });

/** The users routes declared with the route helpers on an in-memory host; the app keeps its own onError/notFound. */
function usersApp() {
  const host = new InMemoryAggregates();
  const app = new Hono();
  let nextId = 0;
  const appErrors: unknown[] = [];
  app.onError((error, c) => {
    appErrors.push(error);
    return c.text('the app’s own error page', 500);
  });
  app.use(
    escfMiddleware({
      authenticate: (c) => {
        const token = c.req.header('authorization');
        return token ? { id: token.replace('Bearer ', '') } : undefined;
      },
    }),
  );
  const users = resource(app, User, { client: (_c, id) => host.client(User, id), onServerError: () => {} })
    .command('post', '/users', 'create', {
      status: 201,
      id: () => `user-${++nextId}`,
      location: (id) => `/users/${id}`,
    })
    .command('patch', '/users/:id', 'update')
    .command('post', '/accounts/:userId/delete', 'delete', { idParam: 'userId' })
    .query('/users/:id', {
      response: UserView,
      errors: ['UNAUTHORIZED', 'NOT_FOUND'],
      handler: async (c, { params }) => {
        const principal = await principalOf(c);
        if (principal?.id !== params.id) throw new NotFound(`User ${params.id} not found`);
        const { version } = await host.state(User, params.id);
        return { id: params.id, version };
      },
    });
  routes(app).query('/search', {
    query: ListQuery,
    response: z.array(z.string()),
    handler: (_c, { query }) => Array.from({ length: query.limit ?? 1 }, () => query.q),
  });
  app.get('/plain', () => {
    throw new Error('an app route of its own');
  });
  app.get('/openapi.json', openApiHandler(app, { title: 'Users', version: '1.0.0' }));
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return { app, users, send, appErrors, host };
}

const ada = { name: 'Ada', email: 'ada@example.com', password: 'correct horse battery' };

describe('resource and routes', () => {
  it('runs a command from a route: 201, Location, ETag, the id from the path for the others', async () => {
    const { send } = usersApp();
    const created = await send('POST', '/users', ada);
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/users/user-1');
    expect(created.headers.get('etag')).toBe('"2"');
    const updated = await send('PATCH', '/users/user-1', { name: 'Ada L.' }, { authorization: 'Bearer user-1' });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ id: 'user-1', events: ['UserUpdated'] });
    const deleted = await send('POST', '/accounts/user-1/delete', {}, { authorization: 'Bearer user-1' });
    expect(deleted.status).toBe(200);
  });

  it('passes the principal from escfMiddleware to the command: anonymous 401, someone else 403', async () => {
    const { send } = usersApp();
    await send('POST', '/users', ada);
    expect((await send('PATCH', '/users/user-1', { name: 'X' })).status).toBe(401);
    expect((await send('PATCH', '/users/user-1', { name: 'X' }, { authorization: 'Bearer user-9' })).status).toBe(403);
  });

  it('answers its own errors as JSON and leaves the app’s onError and notFound alone', async () => {
    const { send, appErrors } = usersApp();
    const invalid = await send('POST', '/users', { name: '' });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    const malformed = await send('PATCH', '/users/user-1', '{');
    expect(malformed.status).toBe(400);
    expect(appErrors).toEqual([]);
    const plain = await send('GET', '/plain');
    expect(await plain.text()).toBe('the app’s own error page');
    expect(appErrors).toHaveLength(1);
    const missing = await send('GET', '/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).not.toMatch(/json/);
  });

  it('opts in to ESCF’s JSON errors and 404 for the whole app', async () => {
    const app = new Hono();
    app.onError(escfErrors({ onServerError: () => {} }));
    app.notFound(escfNotFound());
    app.use(escfMiddleware());
    app.get('/boom', () => {
      throw new Error('secret internals');
    });
    const boom = await app.request('/boom');
    expect(boom.status).toBe(500);
    expect(await boom.json()).toEqual({ error: { code: 'INTERNAL', message: 'Internal error' } });
    const missing = await app.request('/nowhere');
    expect(await missing.json()).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
    const trace = await app.request('/boom', { method: 'PROPFIND' });
    expect(trace.status).toBe(405);
    expect(await trace.json()).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
  });

  it('answers queries with typed params, validated query strings and declared errors', async () => {
    const { send } = usersApp();
    await send('POST', '/users', ada);
    const own = await send('GET', '/users/user-1', undefined, { authorization: 'Bearer user-1' });
    expect(await own.json()).toEqual({ id: 'user-1', version: 2 });
    const other = await send('GET', '/users/user-1', undefined, { authorization: 'Bearer user-2' });
    expect(other.status).toBe(404);
    expect(await (await send('GET', '/search?q=ada&limit=2')).json()).toEqual(['ada', 'ada']);
    const invalid = await send('GET', '/search?limit=1000&__proto__=x');
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as { error: { code: string; details: { issues: Array<{ path: string }> } } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.issues.map((i) => i.path).sort()).toEqual(['query.limit', 'query.q']);
  });

  it('reads and validates the body of an action route as safely as a command’s', async () => {
    const app = new Hono();
    routes(app).route('post', '/double', {
      body: z.object({ n: z.number().int() }).strict(),
      status: 201,
      handler: (_c, { body }) => ({ doubled: body.n * 2 }),
    });
    const post = (body: string, type = 'application/json') =>
      app.request('/double', { method: 'POST', headers: { 'content-type': type }, body });
    const ok = await post('{"n":21}');
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({ doubled: 42 });
    const codes = async (response: Response) => [response.status, ((await response.json()) as any).error.code];
    expect(await codes(await post('{"n":"x"}'))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await codes(await post('{"__proto__":{"n":1}}'))).toEqual([400, 'FORBIDDEN_KEY']);
    expect(await codes(await post('{"n":1}', 'text/plain'))).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    expect(await codes(await post('{'))).toEqual([400, 'MALFORMED_JSON']);
  });

  it('refuses at definition time a command that does not exist or a path without the id', () => {
    const app = new Hono();
    const users = resource(app, User, { client: () => ({}) as never });
    // @ts-expect-error — not a command of User
    expect(() => users.command('post', '/users/:id/explode', 'explode')).toThrow(/User has no command 'explode'/);
    // @ts-expect-error — no :id in the path and no id option
    expect(() => users.command('post', '/users', 'create')).toThrow(/has no :id parameter/);
    expect(() => users.command('post', '/users', 'create', { id: () => 'x' })).not.toThrow();
  });

  it('documents commands and queries in the OpenAPI document, with parameters, responses and errors', async () => {
    const { send } = usersApp();
    const document = (await (await send('GET', '/openapi.json')).json()) as {
      paths: Record<string, Record<string, any>>;
    };
    expect(Object.keys(document.paths).sort()).toEqual([
      '/accounts/{userId}/delete',
      '/search',
      '/users',
      '/users/{id}',
    ]);
    expect(document.paths['/users']!.post.operationId).toBe('User.create');
    expect(document.paths['/users']!.post.requestBody.content['application/json'].schema.required).toContain('email');
    const get = document.paths['/users/{id}']!.get;
    expect(get.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(get.responses['200'].content['application/json'].schema.required).toEqual(['id', 'version']);
    expect(Object.keys(get.responses).sort()).toEqual(['200', '401', '404']);
    const search = document.paths['/search']!.get;
    expect(search.parameters.map((p: { name: string; required: boolean }) => [p.name, p.required])).toEqual([
      ['limit', false],
      ['q', true],
    ]);
    expect(search.responses['400'].description).toContain('VALIDATION_FAILED');
  });

  it('serves a document that an OpenAPI 3.1 validator accepts', async () => {
    const { send } = usersApp();
    const document = (await (await send('GET', '/openapi.json')).json()) as Parameters<
      typeof SwaggerParser.validate
    >[0];
    await expect(SwaggerParser.validate(document)).resolves.toMatchObject({ openapi: '3.1.0' });
  });

  it('documents the paths as the app serves them when routes are mounted under a prefix', async () => {
    const v1 = new Hono();
    routes(v1).query('/ping', { handler: () => ({ pong: true }) });
    const app = new Hono().route('/v1', v1);
    app.get('/openapi.json', openApiHandler(app, { title: 'Ping', version: '1' }));
    expect(await (await app.request('/v1/ping')).json()).toEqual({ pong: true });
    const document = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(['/v1/ping']);
  });
});
