import { request } from 'node:http';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUsersSystem, type UsersSystem } from './e2e/users-system.js';

// All four workers (API, users, sessions, email) in workerd, driven over HTTP
// exactly like the README's curl session.

/** A free port of 127.0.0.1 (the inspector cannot take port 0). */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

let system: UsersSystem;
let inspectorPort: number;
beforeAll(async () => {
  inspectorPort = await freePort();
  system = await startUsersSystem({ inspectorPort });
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
    const req = request(
      new URL(path, system.url),
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Json }));
      },
    );
    // The server may close before the whole body is written.
    req.on('error', (error) => (req.writableEnded ? undefined : reject(error)));
    req.end(body);
  });
}

let n = 0;
/** A fresh user's sign-up data (unique email per test). */
const person = (name = 'Ada') => ({
  name,
  email: `${name.toLowerCase()}-${++n}@example.com`,
  password: 'correct horse battery',
});

async function createUser(input = person()) {
  const created = await send('POST', '/users', input);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { id: created.body.id as string, ...input };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The verification token the email process "sent" (the dev stand-in logs it), the latest one for an address. */
async function tokenFor(email: string): Promise<string> {
  await system.waitForLog(new RegExp(`Sending email verification to ${escapeRegExp(email)}: (\\w+)`));
  const lines = system.logs.filter((line) => line.includes(`Sending email verification to ${email}:`));
  return lines.at(-1)!.split(': ').at(-1)!.trim();
}

/** A verified, signed-in user and the bearer header of their session. */
async function signedInUser(input = person()) {
  const user = await createUser(input);
  expect((await send('POST', `/users/${user.id}/verify-email`, { token: await tokenFor(user.email) })).status).toBe(
    200,
  );
  const signIn = await send('POST', '/sessions', { email: user.email, password: user.password });
  expect(signIn.status, JSON.stringify(signIn.body)).toBe(201);
  return { ...user, token: signIn.body.token as string, auth: { authorization: `Bearer ${signIn.body.token}` } };
}

describe('the README session', () => {
  it('signs up, verifies the email with the token from the log, signs in with a bearer token, reads itself, signs out', async () => {
    const ada = person();
    const created = await send('POST', '/users', ada);
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"2"');
    expect(created.headers.get('location')).toBe(`/users/${created.body.id}`);
    expect(created.body).toMatchObject({ version: 2, events: ['UserCreated', 'UserEmailVerificationIssued'] });
    const id = created.body.id as string;

    // Reading needs a session; signing in needs a verified address.
    expect((await send('GET', `/users/${id}`)).status).toBe(401);
    const early = await send('POST', '/sessions', { email: ada.email, password: ada.password });
    expect(early.status).toBe(403);

    const verified = await send('POST', `/users/${id}/verify-email`, { token: await tokenFor(ada.email) });
    expect(verified.status).toBe(200);
    expect(verified.headers.get('etag')).toBe('"3"');

    const signIn = await send('POST', '/sessions', { email: ada.email, password: ada.password });
    expect(signIn.status).toBe(201);
    expect(signIn.headers.get('location')).toBeNull();
    const token = signIn.body.token as string;
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(signIn.body.session.user).toEqual({ userId: id, name: 'Ada', email: ada.email });
    const auth = { authorization: `Bearer ${token}` };

    const me = await send('GET', `/users/${id}`, undefined, auth);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ userId: id, name: 'Ada', email: ada.email, emailVerified: true });
    expect(
      (await send('GET', '/sessions/current', undefined, auth)).body.session ??
        (await send('GET', '/sessions/current', undefined, auth)).body,
    ).toMatchObject({ user: { userId: id } });

    // The token never appears in a URL or a log line.
    expect(system.logs.some((line) => line.includes(token))).toBe(false);

    expect((await send('DELETE', '/sessions/current', undefined, auth)).status).toBe(200);
    expect((await send('GET', '/sessions/current', undefined, auth)).status).toBe(401);
    expect((await send('GET', `/users/${id}`, undefined, auth)).status).toBe(401);
  });

  it('serves the OpenAPI document built from the command definitions', async () => {
    const { status, body } = await send('GET', '/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/users',
        '/users/{id}',
        '/users/{id}/verify-email',
        '/users/verification',
        '/sessions',
        '/sessions/current',
      ]),
    );
    expect(body.paths['/users'].post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['name', 'email', 'password']),
    );
  });
});

describe('attacks on the users example (issue: secure by default)', () => {
  it('only a user may change, delete or read itself: 401 without a session, 403 or 404 for another user', async () => {
    const victim = await signedInUser(person('Victim'));
    const mallory = await signedInUser(person('Mallory'));
    expect((await send('PATCH', `/users/${victim.id}`, { email: 'attacker@example.com' })).status).toBe(401);
    const patch = await send('PATCH', `/users/${victim.id}`, { email: 'attacker@example.com' }, mallory.auth);
    expect(patch.status).toBe(403);
    expect(patch.body.error.code).toBe('FORBIDDEN');
    expect((await send('DELETE', `/users/${victim.id}`, undefined, mallory.auth)).status).toBe(403);
    // Another user's record is not found, exactly like an unknown id: no email shown.
    const peek = await send('GET', `/users/${victim.id}`, undefined, mallory.auth);
    expect(peek.status).toBe(404);
    expect(JSON.stringify(peek.body)).not.toContain(victim.email);
    expect((await send('GET', `/users/${victim.id}`, undefined, victim.auth)).body.email).toBe(victim.email);
    // A forged token is 401; a malformed Authorization header 400.
    expect(
      (await send('GET', `/users/${victim.id}`, undefined, { authorization: `Bearer ${'0'.repeat(64)}` })).status,
    ).toBe(401);
    expect((await send('GET', `/users/${victim.id}`, undefined, { authorization: 'Token abc' })).status).toBe(400);
  });

  it('email is unique, case-insensitively, across sign-up and email change; concurrent sign-ups: exactly one wins', async () => {
    const ada = person();
    expect((await send('POST', '/users', ada)).status).toBe(201);
    const again = await send('POST', '/users', { ...person('Eve'), email: ada.email.toUpperCase() });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('UNIQUE_VALUE_TAKEN');
    const bob = await signedInUser(person('Bob'));
    const steal = await send('PATCH', `/users/${bob.id}`, { email: ` ${ada.email.toUpperCase()} `.trim() }, bob.auth);
    expect(steal.status).toBe(409);

    // Three racers per address: the most emails one address may receive per minute (the rate limit).
    for (let round = 0; round < 8; round++) {
      const email = `race-${round}-${++n}@example.com`;
      const outcomes = await Promise.all(
        Array.from({ length: 3 }, (_, i) =>
          send('POST', '/users', { ...person(`Racer${i}`), email: i % 2 ? email.toUpperCase() : email }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 201)).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 409 && o.body.error.code === 'UNIQUE_VALUE_TAKEN')).toHaveLength(2);
    }
  });

  it('sign-in reveals nothing: the same 401 body for an unknown address and a wrong password', async () => {
    const user = await signedInUser();
    const wrong = await send('POST', '/sessions', { email: user.email, password: 'wrong password' });
    const unknown = await send('POST', '/sessions', { email: `nobody-${++n}@example.com`, password: 'wrong password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('rate limits: password guessing and verification emails end in 429 RATE_LIMITED', async () => {
    const user = await signedInUser();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push((await send('POST', '/sessions', { email: user.email, password: `guess-${i}` })).status);
    expect(statuses).toContain(429);
    expect(statuses.slice(0, 3).every((s) => s === 401)).toBe(true);
    const target = person('Target');
    await createUser(target);
    const resends: number[] = [];
    for (let i = 0; i < 6; i++)
      resends.push((await send('POST', '/users/verification', { email: target.email })).status);
    expect(resends).toContain(429);
    const unknownResend = await send('POST', '/users/verification', { email: `nobody-${++n}@example.com` });
    expect(unknownResend.status).toBe(202);
  });

  it('resend issues a new token and the old one stops working', async () => {
    const user = await createUser();
    const first = await tokenFor(user.email);
    expect((await send('POST', '/users/verification', { email: user.email })).status).toBe(202);
    await system.waitForLog(
      new RegExp(`Sending email verification to ${escapeRegExp(user.email)}: (?!${first})(\\w+)`),
    );
    const second = await tokenFor(user.email);
    expect(second).not.toBe(first);
    expect((await send('POST', `/users/${user.id}/verify-email`, { token: first })).body.error.code).toBe(
      'INVALID_TOKEN',
    );
    expect((await send('POST', `/users/${user.id}/verify-email`, { token: second })).status).toBe(200);
  });

  it('no 500: ids with CR/LF/NUL are refused before the write, an event-schema refusal is a 400, CONNECT-like methods a JSON 405', async () => {
    for (const id of ['a\r\nb', 'nul\u0000', 'line\nfeed']) {
      const put = await send('PUT', `/users/${encodeURIComponent(id)}`, person());
      expect(put.status).toBe(400);
      expect((await send('PUT', `/users/${encodeURIComponent(id)}`, person())).status).toBe(400);
    }
    for (const email of ['üser@example.com', '"a b"@example.com']) {
      const created = await send('POST', '/users', { ...person(), email });
      expect(created.status).toBeLessThan(500);
      expect(created.status).toBe(400);
    }
    const deep = await send('POST', '/users', `${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    expect(deep.body.error.code).toBe('JSON_TOO_DEEP');
    const propfind = await fetch(new URL('/users', system.url), { method: 'PROPFIND' });
    expect(propfind.status).toBe(405);
    expect(((await propfind.json()) as Json).error.code).toBe('METHOD_NOT_ALLOWED');
    expect((await send('POST', '/users', person(), { 'x-correlation-id': 'has spaces' })).status).toBe(400);
  });

  it('an empty PATCH appends nothing; a deleted user loses their sessions', async () => {
    const user = await signedInUser();
    const empty = await send('PATCH', `/users/${user.id}`, {}, user.auth);
    expect(empty.status).toBe(200);
    expect(empty.body.events).toEqual([]);
    expect((await send('PATCH', `/users/${user.id}`, { name: 'Renamed' }, user.auth)).body.version).toBe(
      empty.body.version + 1,
    );
    expect((await send('DELETE', `/users/${user.id}`, undefined, user.auth)).status).toBe(200);
    expect((await send('GET', '/sessions/current', undefined, user.auth)).status).toBe(401);
    // The address is free again.
    expect((await send('POST', '/users', { ...person(), email: user.email })).status).toBe(201);
  });
});

describe('HTTP semantics through the real Durable Objects', () => {
  it('400: bad input comes back with per-field issues and creates nothing', async () => {
    const bad = await send('POST', '/users', { name: '', email: 'not-an-email', password: 'short' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'email',
      'name',
      'password',
    ]);
    const badSignIn = await send('POST', '/sessions', { email: 'nope', password: '' });
    expect(badSignIn.status).toBe(400);
    expect(badSignIn.body.error.code).toBe('VALIDATION_FAILED');
    expect((await send('POST', '/users', '{"name": ')).body.error.code).toBe('MALFORMED_JSON');
  });

  it('404: unknown users for their verification link; 409: an existing id, a stale If-Match', async () => {
    expect((await send('POST', '/users/no-such-user/verify-email', { token: 'abc' })).status).toBe(404);
    const id = `chosen-${++n}`;
    const first = await send('PUT', `/users/${id}`, person());
    expect(first.status).toBe(201);
    const again = await send('PUT', `/users/${id}`, person());
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('USER_EXISTS');
    const user = await signedInUser();
    const stale = await send('PATCH', `/users/${user.id}`, { name: 'X' }, { 'if-match': '"1"', ...user.auth });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('CONCURRENCY_CONFLICT');
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
  });
});

describe('the V8 inspector (startSystem inspectorPort)', () => {
  it('lists every worker of the system as a target to attach DevTools to', async () => {
    const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as Array<{
      title: string;
      webSocketDebuggerUrl: string;
    }>;
    const workers = targets.map((t) => t.title).filter((title) => title.includes('core:user:'));
    expect(workers.sort()).toEqual(
      ['users-api', 'users-email', 'users-sessions', 'users-users'].map((name) => `workerd: worker core:user:${name}`),
    );
    expect(targets.every((t) => t.webSocketDebuggerUrl.startsWith('ws://'))).toBe(true);
  });
});
