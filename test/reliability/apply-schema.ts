// setupFile: the event store migration and the ledger read model.
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { LEDGER_SCHEMA } from './ledger-projection.js';
import type { Env } from './worker.js';

const testEnv = env as unknown as Env;
await applyD1Migrations(testEnv.ESCF_EVENTS, testEnv.TEST_MIGRATIONS);
await testEnv.LEDGER_DB.batch(LEDGER_SCHEMA.map((sql) => testEnv.LEDGER_DB.prepare(sql)));
