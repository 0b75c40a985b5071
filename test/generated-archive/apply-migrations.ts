// setupFile: the migrations escf generate wrote (event store, projection checkpoints) and the projection's own.
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

type Migrations = Parameters<typeof applyD1Migrations>[1];
const testEnv = env as unknown as {
  ESCF_EVENTS: D1Database;
  TOTALS_DB: D1Database;
  TEST_MIGRATIONS: Migrations;
  TOTALS_MIGRATIONS: Migrations;
};
await applyD1Migrations(testEnv.ESCF_EVENTS, testEnv.TEST_MIGRATIONS);
await applyD1Migrations(testEnv.TOTALS_DB, testEnv.TOTALS_MIGRATIONS);
