import { projectionClients } from '@escf/cloudflare';
import { CommandApi } from '@escf/hono';
import { Hono } from 'hono';
import { aggregates } from '../../../src/aggregates.js';
import { Task } from '../../../src/domain/index.js';
import type { EscfEnv, EscfProjections } from './escf-env.generated.js';

/**
 * The HTTP API: the Task aggregate's commands as routes (status codes, ETag,
 * If-Match, Idempotency-Key and error bodies by @escf/hono), queries answered
 * by the tasks projection, all described at /openapi.json. Commands run with
 * `sync: true`: they answer once the projection has their events.
 */
const app = new Hono<{ Bindings: EscfEnv }>();
const api = new CommandApi(app);
const task = (env: EscfEnv, id: string) => aggregates(env, { sync: true }).task(id);
const pathId = (c: { req: { param(name: 'id'): string } }) => c.req.param('id');
const projections = (env: EscfEnv) => projectionClients<EscfProjections>(env);

api
  .command('post', '/tasks', {
    aggregate: Task,
    command: 'add',
    status: 201,
    id: () => crypto.randomUUID(),
    client: (c, id) => task(c.env, id),
    location: (id) => `/tasks/${id}`,
    summary: 'Add a task',
  })
  .command('post', '/tasks/:id/complete', {
    aggregate: Task,
    command: 'complete',
    id: pathId,
    client: (c, id) => task(c.env, id),
    summary: 'Complete a task',
  })
  .document({ method: 'get', path: '/tasks', status: 200, summary: 'Every task, from the tasks projection' })
  .document({ method: 'get', path: '/tasks/:id', status: 200, summary: 'One task, from the tasks projection' });

app.get('/tasks', async (c) => c.json(await projections(c.env).TASKS.list()));
app.get('/tasks/:id', async (c) => c.json(await projections(c.env).TASKS.get(c.req.param('id'))));
api.serveOpenApi('/openapi.json', { title: 'escf-app', version: '0.0.0' });

export default app;
