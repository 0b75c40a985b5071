// setupFile: the shipped D1 event-store migration.
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { applyD1EventStoreSchema } from '../../src/internal.js';
import { type Env, SCHEDULED_TABLE } from './worker.js';

const testEnv = env as unknown as Env;
await applyD1Migrations(testEnv.ESCF_EVENTS, testEnv.TEST_MIGRATIONS);
await applyD1EventStoreSchema(testEnv.ESCF_EVENTS, SCHEDULED_TABLE);
