// Runs before the integration tests: the same D1 migrations `escf dev` and `escf deploy` apply.
import { applyD1Migrations, type D1Migration } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

const testEnv = env as unknown as {
  ESCF_EVENTS: D1Database;
  TASKS_DB: D1Database;
  EVENTS_MIGRATIONS: D1Migration[];
  TASKS_MIGRATIONS: D1Migration[];
};
await applyD1Migrations(testEnv.ESCF_EVENTS, testEnv.EVENTS_MIGRATIONS);
await applyD1Migrations(testEnv.TASKS_DB, testEnv.TASKS_MIGRATIONS);
