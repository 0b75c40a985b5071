// setupFile: the event store migration and the ledger read model.
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { LEDGER_SCHEMA } from './ledger-projection.js';
import type { Env } from './worker.js';

const testEnv = env as unknown as Env;
for (const shard of [testEnv.ESCF_EVENTS, testEnv.ESCF_EVENTS_1, testEnv.ESCF_EVENTS_2, testEnv.ESCF_EVENTS_3]) {
  await applyD1Migrations(shard, testEnv.TEST_MIGRATIONS);
}
await testEnv.LEDGER_DB.batch(LEDGER_SCHEMA.map((sql) => testEnv.LEDGER_DB.prepare(sql)));
