/** The files `escf init` adds to a Worker project: one aggregate, its HTTP routes and the system definition. */

/** `escf.config.ts` for a project whose worker becomes the system's API worker, in place. */
export function systemConfigFile(input: { systemName: string; workerName: string; entry: string }): string {
  return `import { defineSystem } from '@escf/cli/config';
import { Counter } from './src/domain/counter.js';

// The system \`escf generate\` wires: this worker hosts the Counter aggregate's
// Durable Objects and the D1 event store. Add projections and processes as
// workers of their own (see https://github.com/escf/escf/blob/main/docs/codegen.md).
export default defineSystem({
  name: ${JSON.stringify(input.systemName)},
  workers: {
    api: {
      kind: 'api',
      dir: '.',
      workerName: ${JSON.stringify(input.workerName)},
      from: './src/domain/counter.ts',
      // Your worker's own module: the generated entry re-exports it.
      entry: ${JSON.stringify(input.entry)},
      aggregates: [Counter],
    },
  },
});
`;
}

export const COUNTER_AGGREGATE = `import { Aggregate, Command, DomainError, EventHandler, defineEvent, type PayloadOf } from '@escf/core';
import { z } from 'zod';

/** Events are named explicitly: the name is stored with every event. */
export const Incremented = defineEvent('Incremented', z.object({ by: z.number().int() }));
export type Incremented = PayloadOf<typeof Incremented>;

export interface CounterState {
  readonly count: number;
}

/** A first aggregate: one Durable Object per counter id. */
export class Counter extends Aggregate<CounterState> {
  static readonly type = 'Counter';

  protected initialState(): CounterState {
    return { count: 0 };
  }

  /** Commands validate their input, read the state and return events. */
  @Command(z.object({ by: z.number().int().min(1).max(100) }), { emits: [Incremented] })
  increment(input: { by: number }) {
    if (this.state.count + input.by > 1_000) throw new DomainError('Counters stop at 1000', { code: 'LIMIT_REACHED' });
    return new Incremented(input);
  }

  /** Event handlers are pure reducers: the only place state changes. */
  @EventHandler(Incremented)
  protected incremented(e: Incremented): CounterState {
    return { count: this.state.count + e.by };
  }
}
`;

export const COUNTER_ROUTES = `import { aggregateClients } from '@escf/cloudflare';
import { openApiHandler, resource } from '@escf/hono';
import { Hono } from 'hono';
import { Counter } from './domain/counter.js';
import type { EscfEnv } from './escf-env.generated.js';

const aggregates = aggregateClients({ counter: { aggregate: Counter, binding: 'COUNTER_AGGREGATE' } });

/**
 * The Counter's commands over HTTP, with ESCF's status codes, ETag /
 * If-Match and Idempotency-Key. Mount it in your app: \`app.route('/', counterRoutes)\`;
 * your app's onError and notFound stay yours.
 */
export const counterRoutes = new Hono<{ Bindings: EscfEnv }>();
resource(counterRoutes, Counter, { client: (c, id) => aggregates(c.env).counter(id) }).command(
  'post',
  '/counters/:id/increment',
  'increment',
  { summary: 'Add to a counter' },
);
counterRoutes.get('/counters/openapi.json', openApiHandler(counterRoutes, { title: 'Counters', version: '1.0.0' }));
`;
