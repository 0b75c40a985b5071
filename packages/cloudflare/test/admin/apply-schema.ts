// setupFile: the event store migration, the tally read model and the notifier's effect log.
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { TALLY_SCHEMA } from '../projection/tally-projection.js';
import { SHARDED_TALLY_SCHEMA } from './sharded-tally-projection.js';
import type { Env } from './worker.js';

const testEnv = env as unknown as Env;
await applyD1Migrations(testEnv.ESCF_EVENTS, testEnv.TEST_MIGRATIONS);
for (const shard of [testEnv.SHARD_0, testEnv.SHARD_1]) await applyD1Migrations(shard, testEnv.TEST_MIGRATIONS);
await testEnv.TALLY_DB.batch(TALLY_SCHEMA.map((sql) => testEnv.TALLY_DB.prepare(sql)));
await testEnv.SHARDED_TALLY_DB.prepare(SHARDED_TALLY_SCHEMA).run();
await testEnv.NOTIFIER_DB.prepare(
  'CREATE TABLE IF NOT EXISTS effects (n INTEGER PRIMARY KEY, target TEXT NOT NULL, detail TEXT NOT NULL)',
).run();
