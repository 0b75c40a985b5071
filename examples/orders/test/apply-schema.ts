import { applyD1Migrations, type D1Migration } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { ORDERS_SCHEMA } from '../src/payment-and-shipping.js';
import type { OrdersEnv } from '../src/worker-env.js';

const testEnv = env as unknown as OrdersEnv & { TEST_MIGRATIONS: D1Migration[] };
await applyD1Migrations(testEnv.ESCF_EVENTS, testEnv.TEST_MIGRATIONS);
await testEnv.ORDERS_DB.batch(ORDERS_SCHEMA.map((sql) => testEnv.ORDERS_DB.prepare(sql)));
