import { aggregateClients } from '@escf/cloudflare';
import { NotFound } from '@escf/core';
import { escfErrors, escfMiddleware, escfNotFound, openApiHandler, resource, routes } from '@escf/hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { Counter } from './readme-counter.js';

type ApiEnv = { Bindings: { COUNTER_AGGREGATE: DurableObjectNamespace; COUNTER_TOTALS_DB: D1Database } };
const aggregates = aggregateClients({ counter: { aggregate: Counter, binding: 'COUNTER_AGGREGATE' } });

const CounterView = z.object({ id: z.string(), count: z.number().int(), version: z.number().int() });
const Total = z.object({ id: z.string(), total: z.number().int() });

const app = new Hono<ApiEnv>();
app.use(escfMiddleware()); // principal (authenticate) and the JSON 405; nothing else
app.onError(escfErrors()); // opt in: ESCF's JSON errors for the app's own routes too
app.notFound(escfNotFound());

// The Counter's controller: each route names its path and the command it runs; the id comes from `:id`.
resource(app, Counter, { client: (c, id) => aggregates(c.env, { sync: true }).counter(id) })
  .command('post', '/counters/:id/increments', 'increment', { summary: 'Add 1–100 to a counter' })
  .command('post', '/counters/:id/reset', 'reset', { summary: 'Reset a counter (says why)' })
  .query('/counters/:id', {
    summary: 'A counter, from its aggregate',
    response: CounterView,
    errors: ['NOT_FOUND'],
    handler: async (c, { params }) => {
      const { version, state } = await aggregates(c.env).counter.state(params.id);
      if (version === 0) throw new NotFound(`Counter ${params.id} not found`);
      return { id: params.id, count: state.count, version };
    },
  });

// A query that belongs to no aggregate: the read model's totals, filtered by the query string.
routes(app).query('/totals', {
  summary: 'Counters whose total is at least ?min',
  query: z.object({ min: z.coerce.number().int().min(0).default(0) }),
  response: z.array(Total),
  handler: async (c, { query }) => {
    const { results } = await c.env.COUNTER_TOTALS_DB.prepare(
      'SELECT counter_id AS id, total FROM totals WHERE total >= ?1 ORDER BY total DESC LIMIT 100',
    )
      .bind(query.min)
      .all<z.infer<typeof Total>>();
    return results;
  },
});

app.get('/openapi.json', openApiHandler(app, { title: 'Counters', version: '1.0.0' }));

export default app;
