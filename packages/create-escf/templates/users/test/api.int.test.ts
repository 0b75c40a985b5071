import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

// Real Durable Objects and D1 inside workerd, through the HTTP API.
const api = (path: string, init?: RequestInit) => SELF.fetch(new Request(`http://localhost${path}`, init));
const post = (path: string, body: unknown) => api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const ada = { name: 'Ada', email: 'ada@example.com', password: 'correct horse battery' };

describe('the users API', () => {
  it('creates a user (201), signs in (201) and reads the session', async () => {
    const created = await post('/users', ada);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect(await (await api(`/users/${id}`)).json()).toMatchObject({ userId: id, name: 'Ada', emailVerified: false });

    const signedIn = await post('/sessions', { email: ada.email, password: ada.password });
    expect(signedIn.status).toBe(201);
    const { session } = (await signedIn.json()) as { session: { sessionId: string } };
    expect((await api(`/sessions/${session.sessionId}`)).status).toBe(200);
  });

  it('refuses a wrong password with 401 and a taken email with 409', async () => {
    await post('/users', { ...ada, email: 'grace@example.com' });
    expect((await post('/sessions', { email: 'grace@example.com', password: 'wrong password!' })).status).toBe(401);
    expect((await post('/sessions', { ...ada, email: 'grace@example.com' })).status).toBe(409);
  });

  it('answers bad input with 400, storing nothing', async () => {
    const response = await post('/users', { name: 'Ada', email: 'not an email', password: 'x' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });
});
