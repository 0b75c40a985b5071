import { parse } from 'jsonc-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { check } from '../src/commands/check.js';
import { generate } from '../src/commands/generate.js';
import { copyFixture, type FixtureCopy } from './support/fixture-copy.js';

type Json = Record<string, any>;

let shop: FixtureCopy;
beforeEach(() => {
  shop = copyFixture('shop');
  // The console is opt-in: the same fixture, with `console: { … }` added.
  shop.edit('escf.config.ts', "  name: 'shop',", "  name: 'shop',\n  console: { dir: 'workers/console' },");
});
afterEach(() => shop.remove());

describe('escf generate with a console', () => {
  it('adds the admin entrypoint to the API worker, with the topology and a service binding to every projection and process', async () => {
    await generate({ config: shop.config });
    const entry = shop.read('workers/api/src/escf.generated.ts');
    expect(entry).toContain("import { adminEntrypoint } from '@escf/cloudflare/admin';");
    expect(entry).toContain('export const EscfAdmin = adminEntrypoint({');
    expect(entry).toContain('aggregates: [Account, Cart],');
    expect(entry).toContain('"adminBinding": "SESSIONS"');
    const services = (parse(shop.read('workers/api/wrangler.jsonc')) as Json).services as Json[];
    expect(services.map((s) => s.binding).sort()).toEqual(['NOTIFY', 'SESSIONS']);
  });

  it('writes the console worker, bound to the admin entrypoint, and keeps it checked', async () => {
    await generate({ config: shop.config });
    const console = parse(shop.read('workers/console/wrangler.jsonc')) as Json;
    expect(console.name).toBe('shop-console');
    expect(console.services).toEqual([{ binding: 'ESCF_ADMIN', service: 'shop-api', entrypoint: 'EscfAdmin' }]);
    expect(shop.read('workers/console/src/escf.generated.ts')).toContain(
      "export default consoleWorker({ system: 'shop', admin: 'ESCF_ADMIN' });",
    );
    expect((await check({ config: shop.config })).stale).toEqual([]);
    shop.edit('workers/console/wrangler.jsonc', '"entrypoint": "EscfAdmin"', '"entrypoint": "Other"');
    expect((await check({ config: shop.config })).stale.map((s) => s.path.slice(shop.dir.length + 1))).toEqual([
      'workers/console/wrangler.jsonc',
    ]);
  });

  it('rejects a console sharing a worker directory', async () => {
    shop.edit('escf.config.ts', "console: { dir: 'workers/console' }", "console: { dir: 'workers/api' }");
    await expect(generate({ config: shop.config })).rejects.toThrow(
      /console\.dir: workers\.api uses the same directory/,
    );
  });
});
