import { parse } from 'jsonc-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generate } from '../src/commands/generate.js';
import { planFromConfig } from '../src/commands/load-system.js';
import { migratedDatabases } from '../src/wrangler/worker-databases.js';
import { copyFixture, type FixtureCopy } from './support/fixture-copy.js';

type Json = Record<string, any>;

let shop: FixtureCopy;
beforeEach(() => {
  shop = copyFixture('shop');
});
afterEach(() => shop.remove());

const wrangler = (worker: string): Json => parse(shop.read(`workers/${worker}/wrangler.jsonc`)) as Json;
const shards = (value: string) => shop.edit('escf.config.ts', "name: 'shop',", `name: 'shop',\n  shards: ${value},`);

describe('escf generate with a sharded event store (`shards` in escf.config.ts)', () => {
  it('binds and migrates one D1 database per shard and hands the shards to hosts and readers', async () => {
    shards('[2, 3]');
    await generate({ config: shop.config });
    const events = (worker: string) =>
      (wrangler(worker).d1_databases as Json[]).filter((d) => String(d.binding).startsWith('ESCF_EVENTS'));
    expect(events('api')).toEqual([
      // The fixture's own production database for shard 0 is kept.
      expect.objectContaining({ binding: 'ESCF_EVENTS', migrations_dir: 'migrations/escf-events' }),
      { binding: 'ESCF_EVENTS_1', migrations_dir: 'migrations/escf-events', database_name: 'shop-events-1' },
      { binding: 'ESCF_EVENTS_2', migrations_dir: 'migrations/escf-events', database_name: 'shop-events-2' },
    ]);
    // Readers bind every shard; only the API worker migrates them.
    expect(events('sessions').map((d) => [d.binding, d.migrations_dir])).toEqual([
      ['ESCF_EVENTS', undefined],
      ['ESCF_EVENTS_1', undefined],
      ['ESCF_EVENTS_2', undefined],
    ]);
    const { system } = await planFromConfig({ config: shop.config });
    expect(migratedDatabases(system).map((d) => d.binding)).toEqual(
      expect.arrayContaining(['ESCF_EVENTS', 'ESCF_EVENTS_1', 'ESCF_EVENTS_2']),
    );

    const api = shop.read('workers/api/src/escf.generated.ts');
    expect(api).toContain(
      "eventStore: { shards: ['ESCF_EVENTS', 'ESCF_EVENTS_1', 'ESCF_EVENTS_2'], layouts: [{ count: 2 }, { count: 3 }] }",
    );
    const sessions = shop.read('workers/sessions/src/escf.generated.ts');
    expect(sessions).toContain('ShardedD1EventStore');
    expect(sessions).toContain(
      "new ShardedD1EventStore(['ESCF_EVENTS', 'ESCF_EVENTS_1', 'ESCF_EVENTS_2'].map((binding) => (env as Record<string, D1Database>)[binding]!), { layouts: [{ count: 2 }, { count: 3 }] })",
    );
    expect(shop.read('workers/api/src/escf-env.generated.ts')).toContain('readonly ESCF_EVENTS_2: D1Database;');
  });

  it("gives the console's admin entrypoint every shard", async () => {
    shards('[2, 3]');
    shop.edit('escf.config.ts', "name: 'shop',", "name: 'shop',\n  console: { dir: 'workers/console' },");
    await generate({ config: shop.config });
    expect(shop.read('workers/api/src/escf.generated.ts')).toContain(
      "eventStoreShards: { bindings: ['ESCF_EVENTS', 'ESCF_EVENTS_1', 'ESCF_EVENTS_2'], layouts: [{ count: 2 }, { count: 3 }] },",
    );
  });

  it('generates one event store database, as before, without `shards`', async () => {
    await generate({ config: shop.config });
    expect(shop.read('workers/api/src/escf.generated.ts')).not.toContain('eventStore');
    expect(shop.read('workers/sessions/src/escf.generated.ts')).not.toContain('ShardedD1EventStore');
  });

  it('refuses shard counts that shrink or are not whole numbers', async () => {
    shards('[4, 2]');
    await expect(generate({ config: shop.config })).rejects.toThrow(/shard counts only grow/);
    shop.edit('escf.config.ts', 'shards: [4, 2],', 'shards: 0,');
    await expect(generate({ config: shop.config })).rejects.toThrow(/whole number from 1 to 64/);
  });
});
