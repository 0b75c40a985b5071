import { afterAll, beforeAll, expect, it } from 'vitest';
import { devPlan } from '../src/commands/dev.js';
import { generate } from '../src/commands/generate.js';
import { loadConfig } from '../src/config/config-loader.js';
import { resolveSystem } from '../src/config/resolve-system.js';
import { copyFixture, type FixtureCopy } from './support/fixture-copy.js';

let shop: FixtureCopy;
beforeAll(async () => {
  shop = copyFixture('shop');
  await generate({ config: shop.config });
});
afterAll(() => shop.remove());

it('migrates every database a worker owns and runs all workers in one wrangler dev, the API first', async () => {
  const system = resolveSystem(await loadConfig(shop.config));
  const plan = devPlan(system, { port: 8801, inspectorPort: 9231 });
  const persist = ['--persist-to', '.wrangler/state'];
  expect(plan.migrations).toEqual([
    ['d1', 'migrations', 'apply', 'ESCF_EVENTS', '--local', '-c', 'workers/api/wrangler.jsonc', ...persist],
    ['d1', 'migrations', 'apply', 'SESSIONS_DB', '--local', '-c', 'workers/sessions/wrangler.jsonc', ...persist],
    ['d1', 'migrations', 'apply', 'NOTIFY_DB', '--local', '-c', 'workers/notify/wrangler.jsonc', ...persist],
  ]);
  expect(plan.dev).toEqual([
    'dev',
    ...['-c', 'workers/api/wrangler.jsonc', '-c', 'workers/sessions/wrangler.jsonc', '-c', 'workers/notify/wrangler.jsonc'],
    ...persist,
    ...['--port', '8801', '--inspector-port', '9231'],
  ]);
  expect(plan.workers).toEqual(['shop-api', 'shop-sessions', 'shop-notify']);
});
