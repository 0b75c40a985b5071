import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUsersSystem, type UsersSystem } from './e2e/users-system.js';

// All four workers (API, users, sessions, email) in workerd, driven over HTTP
// exactly like the README's curl session.

let system: UsersSystem;
beforeAll(async () => {
  system = await startUsersSystem();
});
afterAll(() => system?.stop());

type Json = Record<string, any>;

async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(new URL(path, system.url), {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
}

/**
 * POSTs a body on a connection of its own: the server answers 413 without
 * reading it all, which leaves a shared keep-alive socket unusable.
 */
function postOnOwnConnection(path: string, body: string): Promise<{ status: number; body: Json }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, system.url), { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Json }));
    });
    // The server may close before the whole body is written.
    req.on('error', (error) => (req.writableEnded ? undefined : reject(error)));
    req.end(body);
  });
}

let n = 0;
/** A fresh user's sign-up data (unique email per test). */
const person = (name = 'Ada') => ({ name, email: `${name.toLowerCase()}-${++n}@example.com`, password: 'correct horse battery' });

async function createUser(input = person()) {
  const created = await send('POST', '/users', input);
  expect(created.status).toBe(201);
  return { id: created.body.id as string, ...input };
}

describe('the README session', () => {
  it('creates a user, verifies the email with the token from the log, signs in and reads the session', async () => {
    const ada = person();
    const created = await send('POST', '/users', ada);
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"2"');
    expect(created.headers.get('location')).toBe(`/users/${created.body.id}`);
    expect(created.body).toMatchObject({ version: 2, events: ['UserCreated', 'UserEmailVerificationIssued'] });
    const id = created.body.id as string;

    // Read-your-writes: the command answered after the users projection applied it.
    const unverified = await send('GET', `/users/${id}`);
    expect(unverified.status).toBe(200);
    expect(unverified.body).toMatchObject({ userId: id, name: 'Ada', email: ada.email, emailVerified: false });

    // The email process runs from its queue and logs the token.
    const [, token] = await system.waitForLog(new RegExp(`Sending email verification to ${ada.email.replace('.', '\\.')}: (\\w+)`));
    const verified = await send('POST', `/users/${id}/verify-email`, { token });
    expect(verified.status).toBe(200);
    expect(verified.headers.get('etag')).toBe('"3"');
    expect((await send('GET', `/users/${id}`)).body.emailVerified).toBe(true);

    const signIn = await send('POST', '/sessions', { email: ada.email, password: ada.password });
    expect(signIn.status).toBe(201);
    expect(signIn.body.user).toEqual({ userId: id, name: 'Ada', email: ada.email });
    expect(signIn.body.session).toMatchObject({ userId: id, fresh: true });
    const sessionId = signIn.body.session.sessionId as string;
    expect(signIn.headers.get('location')).toBe(`/sessions/${sessionId}`);

    const session = await send('GET', `/sessions/${sessionId}`);
    expect(session.status).toBe(200);
    expect(session.body).toEqual({ session: { ...signIn.body.session, fresh: false }, user: signIn.body.user });
  });

  it('registers through the SessionService and opens a session at once', async () => {
    const bob = person('Bob');
    const registered = await send('POST', '/sessions', bob);
    expect(registered.status).toBe(201);
    const userId = registered.body.user.userId as string;
    expect(registered.body.session).toMatchObject({ userId, fresh: true });
    expect((await send('GET', `/users/${userId}`)).body).toMatchObject({ name: 'Bob', email: bob.email });
    expect((await send('GET', `/sessions/${registered.body.session.sessionId}`)).status).toBe(200);
  });

  it('updates and deletes; a deleted user loses their sessions and is gone from the read model', async () => {
    const user = await createUser();
    const renamed = await send('PATCH', `/users/${user.id}`, { name: 'Ada L.' });
    expect(renamed.status).toBe(200);
    expect(renamed.headers.get('etag')).toBe('"3"');
    expect((await send('GET', `/users/${user.id}`)).body.name).toBe('Ada L.');
    const session = await send('POST', '/sessions', { email: user.email, password: user.password });
    const deleted = await send('DELETE', `/users/${user.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.events).toEqual(['UserDeleted']);
    expect((await send('GET', `/users/${user.id}`)).status).toBe(404);
    expect((await send('GET', `/sessions/${session.body.session.sessionId}`)).status).toBe(404);
  });

  it('serves the OpenAPI document built from the command definitions', async () => {
    const { status, body } = await send('GET', '/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/users', '/users/{id}', '/users/{id}/authenticate', '/users/{id}/verify-email', '/sessions', '/sessions/{id}']),
    );
    expect(body.paths['/users'].post.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['name', 'email', 'password']));
  });
});

describe('HTTP semantics through the real Durable Objects', () => {
  it('400: bad input comes back with per-field issues and creates nothing', async () => {
    const bad = await send('POST', '/users', { name: '', email: 'not-an-email', password: 'short' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual(['email', 'name', 'password']);
    const badSignIn = await send('POST', '/sessions', { email: 'nope', password: '' });
    expect(badSignIn.status).toBe(400);
    expect(badSignIn.body.error.code).toBe('VALIDATION_FAILED');
    expect((await send('POST', '/users', '{"name": ')).body.error.code).toBe('MALFORMED_JSON');
  });

  it('401: a wrong password, at the aggregate and at sign-in', async () => {
    const user = await createUser();
    const wrong = await send('POST', `/users/${user.id}/authenticate`, { password: 'wrong password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('UNAUTHORIZED');
    expect((await send('POST', `/users/${user.id}/authenticate`, { password: user.password })).status).toBe(200);
    const signIn = await send('POST', '/sessions', { email: user.email, password: 'wrong password' });
    expect(signIn.status).toBe(401);
    // The same answer for an unknown address: it does not reveal who is registered.
    const unknown = await send('POST', '/sessions', { email: 'nobody@example.com', password: 'whatever' });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(signIn.body);
  });

  it('404: unknown users and sessions', async () => {
    expect((await send('GET', '/users/no-such-user')).status).toBe(404);
    const update = await send('PATCH', '/users/no-such-user', { name: 'X' });
    expect(update.status).toBe(404);
    expect(update.body.error.code).toBe('NOT_FOUND');
    expect((await send('POST', '/users/no-such-user/verify-email', { token: 'abc' })).status).toBe(404);
    expect((await send('GET', '/sessions/no-such-session')).status).toBe(404);
  });

  it('409: creating an existing user, a stale If-Match, a taken email', async () => {
    const id = `chosen-${++n}`;
    const first = await send('PUT', `/users/${id}`, person());
    expect(first.status).toBe(201);
    const again = await send('PUT', `/users/${id}`, person());
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('USER_EXISTS');

    const stale = await send('PATCH', `/users/${id}`, { name: 'X' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('CONCURRENCY_CONFLICT');
    const current = await send('PATCH', `/users/${id}`, { name: 'X' }, { 'if-match': first.headers.get('etag')! });
    expect(current.status).toBe(200);
    expect(current.headers.get('etag')).toBe('"3"');

    const bob = person('Bob');
    expect((await send('POST', '/sessions', bob)).status).toBe(201);
    const taken = await send('POST', '/sessions', { ...bob, name: 'Other Bob' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('EMAIL_TAKEN');
  });

  it('413: oversized bodies are refused before anything runs', async () => {
    const huge = JSON.stringify({ ...person(), name: 'x'.repeat(70_000) });
    const users = await postOnOwnConnection('/users', huge);
    expect(users.status).toBe(413);
    expect(users.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await postOnOwnConnection('/sessions', huge)).status).toBe(413);
  });

  it('Idempotency-Key: a retried request returns the first result and appends nothing', async () => {
    const input = person();
    const key = `signup-${n}`;
    const first = await send('POST', '/users', input, { 'idempotency-key': key });
    const retry = await send('POST', '/users', input, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);

    const id = first.body.id as string;
    const rename = await send('PATCH', `/users/${id}`, { name: 'Once' }, { 'idempotency-key': 'rename-1' });
    const renameAgain = await send('PATCH', `/users/${id}`, { name: 'Once' }, { 'idempotency-key': 'rename-1' });
    expect(renameAgain.body).toEqual(rename.body);
    expect(renameAgain.headers.get('etag')).toBe('"3"');
    // Only one UserUpdated was appended: the next command lands at version 4.
    expect((await send('PATCH', `/users/${id}`, { name: 'Twice' })).body.version).toBe(4);
  });
});
