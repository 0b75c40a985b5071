import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../src/commands/generate.js';
import { copyFixture, type FixtureCopy } from './support/fixture-copy.js';
import { dryRun } from './support/wrangler-dry-run.js';

// Entrypoint factories land in @escf/cloudflare one by one; a worker is
// bundled once the runtime exports what its generated entry imports.
const runtimeIndex = readFileSync(fileURLToPath(import.meta.resolve('@escf/cloudflare')), 'utf8');
const exported = (name: string) => new RegExp(`\\b${name}\\b`).test(runtimeIndex);

let shop: FixtureCopy;
beforeAll(async () => {
  shop = copyFixture('shop');
  await generate({ config: shop.config });
});
afterAll(() => shop.remove());

describe('wrangler deploy --dry-run on generated workers', () => {
  it('bundles the API worker with its Durable Objects, D1, queue producer and service bindings', async () => {
    const result = await dryRun(shop.path('workers/api'));
    expect(result.bindings).toEqual(
      expect.arrayContaining([
        'env.ACCOUNT_AGGREGATE (AccountAggregate)',
        'env.CART_AGGREGATE (CartAggregate)',
        'env.ESCF_EVENTS (shop-events-prod)',
        'env.SESSIONS_QUEUE (sessions)',
        'env.SESSIONS (shop-sessions)',
      ]),
    );
    expect(result.gzipKiB).toBeGreaterThan(0);
  });

  it.runIf(exported('projectionEntrypoint'))('bundles the projection worker', async () => {
    const result = await dryRun(shop.path('workers/sessions'));
    expect(result.bindings).toEqual(
      expect.arrayContaining(['env.SESSIONS_DB (shop-sessions)', 'env.SESSIONS_QUEUE (sessions)']),
    );
  });

  it.runIf(exported('processEntrypoint'))('bundles the process worker', async () => {
    const result = await dryRun(shop.path('workers/notify'));
    expect(result.bindings).toEqual(expect.arrayContaining(['env.REMINDER (Reminder)', 'env.NOTIFY_DB (shop-notify)']));
  });
});
