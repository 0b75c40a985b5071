import { defineSystem } from '@escf/cli/config';
import { Task } from './src/domain/index.js';
import { TasksProjection } from './workers/tasks/src/tasks-projection.js';

// The system: `npx escf generate` turns this into each worker's entry module,
// Env type, D1 migrations and wrangler.jsonc bindings (`npx escf check` verifies them).
export default defineSystem({
  name: 'escf-app',
  compatibilityDate: '2026-11-01',
  workers: {
    // The HTTP API; it hosts the Task aggregate's Durable Objects and the event store.
    api: {
      kind: 'api',
      dir: 'workers/api',
      from: './src/domain/index.ts',
      entry: './workers/api/src/app.ts',
      aggregates: [Task],
    },
    // The tasks read model. Direct delivery: commands answer once it has their events.
    tasks: {
      kind: 'projection',
      dir: 'workers/tasks',
      from: './workers/tasks/src/tasks-projection.ts',
      projection: TasksProjection,
      delivery: 'sync',
    },
  },
});
