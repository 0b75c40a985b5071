import { InMemoryAggregates } from '@escf/testing';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { Customer } from '../../../test/fixtures/customer.js';
import { CommandApi } from '../src/index.js';

const valid = {
  name: 'Grace',
  address: { street: '1 Harbour Road', country: 'GB' },
  phones: [{ number: '+44 20 7946 0000' }],
};

function customersApi() {
  const host = new InMemoryAggregates();
  const app = new Hono();
  new CommandApi(app, { onServerError: () => {} })
    .command('post', '/customers/:id', {
      aggregate: Customer,
      command: 'register',
      status: 201,
      id: (c) => c.req.param('id')!,
      client: (_c, id) => host.client(Customer, id),
    })
    .serveOpenApi('/openapi.json', { title: 'Customers', version: '1.0.0' });
  const post = (path: string, body: unknown) =>
    app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { app, host, post };
}

describe('nested and array class-validator DTOs over HTTP', () => {
  it('runs a valid nested command: 201 and the nested payload stored', async () => {
    const { host, post } = customersApi();
    const response = await post('/customers/c1', valid);
    expect(response.status).toBe(201);
    const [event] = await host.store.readAll({ limit: 10 });
    expect(event).toMatchObject({ type: 'CustomerRegistered', payload: valid });
  });

  it('answers 400 with the nested field paths; nothing stored', async () => {
    const { host, post } = customersApi();
    const response = await post('/customers/c2', {
      ...valid,
      address: { street: '1 Harbour Road', country: 'GBR' },
      phones: [{ number: '1' }],
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: { issues: { path: string }[] } } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.issues.map((issue) => issue.path).sort()).toEqual(['address.country', 'phones.0.number']);
    expect(await host.store.readAll({ limit: 10 })).toEqual([]);
  });

  it('documents the command in OpenAPI', async () => {
    const { app } = customersApi();
    const document = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toContain('/customers/{id}');
  });
});
