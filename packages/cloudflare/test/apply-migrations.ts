// setupFile: the shipped D1 migration, plus the table the queue consumer logs into.
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { applyD1EventStoreSchema } from '../src/internal.js';
import type { Env } from './worker.js';

const testEnv = env as unknown as Env;
await applyD1Migrations(testEnv.ESCF_EVENTS, testEnv.TEST_MIGRATIONS);
await applyD1EventStoreSchema(testEnv.ESCF_EVENTS, 'escf_events_faults');
await testEnv.ESCF_EVENTS.prepare(
  'CREATE TABLE IF NOT EXISTS test_queue_log (event_id TEXT NOT NULL, aggregate_id TEXT NOT NULL, version INTEGER NOT NULL, position INTEGER, body TEXT NOT NULL)',
).run();
for (const shard of [testEnv.ESCF_EVENTS_1, testEnv.ESCF_EVENTS_2, testEnv.ESCF_EVENTS_3]) {
  await applyD1Migrations(shard, testEnv.TEST_MIGRATIONS);
}
