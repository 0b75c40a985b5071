// setupFile: the shipped D1 event-store migration.
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { Env } from './worker.js';

const testEnv = env as unknown as Env;
await applyD1Migrations(testEnv.ESCF_EVENTS, testEnv.TEST_MIGRATIONS);
