import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

// Real Durable Objects and D1 inside workerd, through the HTTP API.
const api = (path: string, init?: RequestInit) => SELF.fetch(new Request(`http://localhost${path}`, init));
const post = (path: string, body: unknown) =>
  api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the tasks API', () => {
  it('adds a task (201) that the projection answers for at once', async () => {
    const added = await post('/tasks', { title: 'Try ESCF' });
    expect(added.status).toBe(201);
    const { id } = (await added.json()) as { id: string };
    expect(added.headers.get('location')).toBe(`/tasks/${id}`);

    expect(await (await api(`/tasks/${id}`)).json()).toMatchObject({ id, title: 'Try ESCF', done: false });
    expect((await post(`/tasks/${id}/complete`, {})).status).toBe(200);
    expect(await (await api(`/tasks/${id}`)).json()).toMatchObject({ id, done: true });
  });

  it('answers bad input with 400 and a field error, storing nothing', async () => {
    const response = await post('/tasks', { title: '' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('answers an unknown task with 404', async () => {
    expect((await api('/tasks/nope')).status).toBe(404);
    expect((await post('/tasks/nope/complete', {})).status).toBe(404);
  });

  it('describes itself at /openapi.json', async () => {
    const document = (await (await api('/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/tasks', '/tasks/{id}/complete']));
  });
});
