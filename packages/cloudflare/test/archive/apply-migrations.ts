// setupFile: the shipped D1 event-store migration.
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { applyD1EventStoreSchema } from '../../src/internal.js';
import { type Env, SCHEDULED_TABLE, SHARDED_TABLE } from './worker.js';

const testEnv = env as unknown as Env;
await applyD1Migrations(testEnv.ESCF_EVENTS, testEnv.TEST_MIGRATIONS);
await applyD1EventStoreSchema(testEnv.ESCF_EVENTS, SCHEDULED_TABLE);
await applyD1Migrations(testEnv.ESCF_EVENTS_1, testEnv.TEST_MIGRATIONS);
for (const db of [testEnv.ESCF_EVENTS, testEnv.ESCF_EVENTS_1]) await applyD1EventStoreSchema(db, SHARDED_TABLE);
