import { afterAll, beforeAll, expect, it } from 'vitest';
import { devPlan } from '../src/commands/dev.js';
import { generate } from '../src/commands/generate.js';
import { loadConfig } from '../src/config/config-loader.js';
import { resolveSystem } from '../src/config/resolve-system.js';
import { ensureConsoleSecrets } from '../src/dev/local-secrets.js';
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
    ...[
      '-c',
      'workers/api/wrangler.jsonc',
      '-c',
      'workers/sessions/wrangler.jsonc',
      '-c',
      'workers/notify/wrangler.jsonc',
    ],
    ...persist,
    ...['--port', '8801', '--inspector-port', '9231'],
  ]);
  expect(plan.workers).toEqual(['shop-api', 'shop-sessions', 'shop-notify']);
});

it('starts the ESCF console in its own wrangler dev on the next port, with local secrets it creates once and never overwrites', async () => {
  shop.edit('escf.config.ts', "  name: 'shop',", "  name: 'shop',\n  console: { dir: 'workers/console' },");
  await generate({ config: shop.config });
  const system = resolveSystem(await loadConfig(shop.config));
  expect(devPlan(system, { port: 8801, inspectorPort: 9231 }).console).toEqual({
    port: 8802,
    dev: ['dev', '-c', 'workers/console/wrangler.jsonc', '--port', '8802', '--inspector-port', '9232'],
  });
  shop.write('workers/api/.dev.vars', 'MY_OWN_SECRET=kept');
  const first = ensureConsoleSecrets(system, system.console!);
  const vars = (file: string) =>
    Object.fromEntries(
      shop
        .read(file)
        .trim()
        .split('\n')
        .map((line) => line.split('=') as [string, string]),
    );
  const api = vars('workers/api/.dev.vars');
  const consoleVars = vars('workers/console/.dev.vars');
  expect(api.MY_OWN_SECRET).toBe('kept');
  expect(api.ESCF_ADMIN_READ_TOKEN).toMatch(/^[\w-]{32}$/);
  expect(api.ESCF_ADMIN_WRITE_TOKEN).not.toBe(api.ESCF_ADMIN_READ_TOKEN);
  expect(consoleVars.ESCF_ADMIN_TOKEN).toBe(api.ESCF_ADMIN_WRITE_TOKEN);
  expect(consoleVars.ESCF_CONSOLE_PASSWORD).toBe(first.password);
  // A second run keeps every value.
  ensureConsoleSecrets(system, system.console!);
  expect(vars('workers/api/.dev.vars')).toEqual(api);
  expect(vars('workers/console/.dev.vars')).toEqual(consoleVars);
});
