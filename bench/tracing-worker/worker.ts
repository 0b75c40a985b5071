// The tracing benchmark's worker (bench/tracing.mjs): commands through the whole
// HTTP path — CommandApi route, typed client, the aggregate's Durable Object, the
// outbox into D1 — with or without tracing (ESCF_OTLP_ENDPOINT in env or not).
import { env as workerEnv } from 'cloudflare:workers';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Hono } from 'hono';
import { aggregateClients, durableObjectFor } from '../../packages/cloudflare/src/index.js';
import { applyD1EventStoreSchema } from '../../packages/cloudflare/src/internal.js';
import { traceWorker } from '../../packages/cloudflare/src/observability/index.js';
import { Counter } from '../../packages/cloudflare/test/bench-worker/counter.js';
import { CommandApi } from '../../packages/hono/src/index.js';

const tracing = traceWorker({ service: 'escf-tracing-bench', AsyncLocalStorage, env: workerEnv });

export const CounterAggregate = durableObjectFor(Counter);

interface Env {
  COUNTER: DurableObjectNamespace;
  ESCF_EVENTS: D1Database;
}

const clients = aggregateClients({ counter: { aggregate: Counter, binding: 'COUNTER' } });
const app = new Hono<{ Bindings: Env }>();
new CommandApi(app).command('post', '/counters/:id', {
  aggregate: Counter,
  command: 'increment',
  id: (c) => c.req.param('id') ?? '',
  client: (c, id) => clients(c.env).counter(id),
});

let schemaReady: Promise<void> | null = null;

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    schemaReady ??= applyD1EventStoreSchema(env.ESCF_EVENTS);
    await schemaReady;
    const url = new URL(request.url);
    if (url.pathname !== '/run') return app.fetch(request, env, ctx);
    // n commands, one after the other, each a full request through the app (its own HTTP span when tracing).
    const n = Number(url.searchParams.get('n') ?? '100');
    const id = `${url.searchParams.get('run') ?? 'r'}-${crypto.randomUUID()}`;
    const started = Date.now();
    for (let i = 0; i < n; i++) {
      const response = await app.fetch(
        new Request(`http://bench/counters/${id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"by":1}',
        }),
        env,
        ctx,
      );
      if (!response.ok) return new Response(await response.text(), { status: 500 });
    }
    return Response.json({ commands: n, ms: Date.now() - started, tracing });
  },
};
