// setupFile: the event store migration, the tally read models (also both blue/green databases) and the notifier's effect log.
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { applyD1EventStoreSchema } from '../../src/internal.js';
import { LATE_EVENTS_SCHEMA } from './late-event-store.js';
import { TALLY_SCHEMA } from './tally-projection.js';
import type { Env } from './worker.js';

const testEnv = env as unknown as Env;
await applyD1Migrations(testEnv.ESCF_EVENTS, testEnv.TEST_MIGRATIONS);
await applyD1EventStoreSchema(testEnv.LEDGER_EVENTS, 'ledger_events');
await applyD1Migrations(testEnv.ESCF_EVENTS_1, testEnv.TEST_MIGRATIONS);
for (const db of [
  testEnv.TALLY_DB,
  testEnv.TALLY_BG_DB,
  testEnv.TALLY_BG_DB_NEXT,
  testEnv.TALLY_LEDGER_DB,
  testEnv.SHARDED_TALLY_DB,
])
  await db.batch(TALLY_SCHEMA.map((sql) => db.prepare(sql)));
await testEnv.TALLY_BG_DB.prepare(LATE_EVENTS_SCHEMA).run();
await testEnv.NOTIFIER_DB.prepare(
  'CREATE TABLE IF NOT EXISTS effects (n INTEGER PRIMARY KEY, target TEXT NOT NULL, detail TEXT NOT NULL)',
).run();
await testEnv.NOTIFIER_DB.prepare('CREATE TABLE IF NOT EXISTS poison (id TEXT PRIMARY KEY)').run();
