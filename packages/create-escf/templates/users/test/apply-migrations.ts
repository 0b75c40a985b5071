// Runs before the integration tests: the same D1 migrations `escf dev` and `escf deploy` apply.
import { applyD1Migrations, type D1Migration } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

type Db = D1Database;
const testEnv = env as unknown as { ESCF_EVENTS: Db; USERS_DB: Db; SESSIONS_DB: Db; EVENTS_MIGRATIONS: D1Migration[]; USERS_MIGRATIONS: D1Migration[]; SESSIONS_MIGRATIONS: D1Migration[] };
await applyD1Migrations(testEnv.ESCF_EVENTS, testEnv.EVENTS_MIGRATIONS);
await applyD1Migrations(testEnv.USERS_DB, testEnv.USERS_MIGRATIONS);
await applyD1Migrations(testEnv.SESSIONS_DB, testEnv.SESSIONS_MIGRATIONS);
