import { projectionClients } from '@escf/cloudflare';
import { escfErrors, escfMiddleware, escfNotFound, openApiHandler, resource } from '@escf/hono';
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
const projections = (env: EscfEnv) => projectionClients<EscfProjections>(env);
app.use(escfMiddleware());
app.onError(escfErrors());
app.notFound(escfNotFound());

resource(app, Task, { client: (c, id) => aggregates(c.env, { sync: true }).task(id) })
  .command('post', '/tasks', 'add', {
    status: 201,
    id: () => crypto.randomUUID(),
    location: (id) => `/tasks/${id}`,
    summary: 'Add a task',
  })
  .command('post', '/tasks/:id/complete', 'complete', { summary: 'Complete a task' })
  .query('/tasks', {
    summary: 'Every task, from the tasks projection',
    handler: (c) => projections(c.env).TASKS.list(),
  })
  .query('/tasks/:id', {
    summary: 'One task, from the tasks projection',
    errors: ['NOT_FOUND'],
    handler: async (c, { params }) => projections(c.env).TASKS.get(params.id),
  });

app.get('/openapi.json', openApiHandler(app, { title: 'escf-app', version: '0.0.0' }));

export default app;
