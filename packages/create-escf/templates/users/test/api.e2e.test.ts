import { type RunningSystem, startSystem } from '@escf/testing/system';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Every worker of this system (API, users, sessions, email) in workerd,
// started from escf.config.ts as `npm run dev` would, driven over HTTP.
let system: RunningSystem;
beforeAll(async () => {
  system = await startSystem('.'); // vitest runs in the project's root, where escf.config.ts is
});
afterAll(() => system?.stop());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  system.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const ada = { name: 'Ada', email: 'ada@example.com', password: 'correct horse battery' };

describe('the users API', () => {
  it('signs up (201), verifies the email with the token the email process sent, signs in and reads itself with the bearer token', async () => {
    const created = await post('/users', ada);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    // The email process logs the token in development; a real mailer sends it.
    const [, token] = await system.waitForLog(/Sending email verification to ada@example\.com: (\w+)/);
    expect((await post(`/users/${id}/verify-email`, { token })).status).toBe(200);

    const signedIn = await post('/sessions', { email: ada.email, password: ada.password });
    expect(signedIn.status).toBe(201);
    const session = (await signedIn.json()) as { token: string };
    const me = await system.fetch(`/users/${id}`, { headers: { authorization: `Bearer ${session.token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ userId: id, name: 'Ada', emailVerified: true });
  });

  it('answers a wrong password with 401, a taken email with 409 and bad input with 400', async () => {
    expect((await post('/sessions', { email: ada.email, password: 'wrong password!' })).status).toBe(401);
    expect((await post('/users', ada)).status).toBe(409);
    const invalid = await post('/users', { name: 'Ada', email: 'not an email', password: 'x' });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });
});
