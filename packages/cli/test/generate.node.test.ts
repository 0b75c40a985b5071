import { parse } from 'jsonc-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { check } from '../src/commands/check.js';
import { generate } from '../src/commands/generate.js';
import { copyFixture, type FixtureCopy } from './support/fixture-copy.js';

type Json = Record<string, any>;

let shop: FixtureCopy;
beforeEach(() => {
  shop = copyFixture('shop');
});
afterEach(() => shop.remove());

const wrangler = (worker: string): Json => parse(shop.read(`workers/${worker}/wrangler.jsonc`)) as Json;

describe('escf generate', () => {
  it('declares the API worker: a SQLite Durable Object per aggregate, the event store, producers and sync subscribers', async () => {
    await generate({ config: shop.config });
    const api = wrangler('api');
    expect(api.main).toBe('src/escf.generated.ts');
    expect(api.durable_objects.bindings).toEqual([
      { name: 'ACCOUNT_AGGREGATE', class_name: 'AccountAggregate' },
      { name: 'CART_AGGREGATE', class_name: 'CartAggregate' },
    ]);
    expect(api.migrations).toEqual([{ tag: 'escf-v1', new_sqlite_classes: ['AccountAggregate', 'CartAggregate'] }]);
    expect(api.queues.producers).toEqual([{ binding: 'SESSIONS_QUEUE', queue: 'sessions' }]);
    expect(api.services).toEqual([
      { binding: 'NOTIFY', service: 'shop-notify' },
      { binding: 'SESSIONS', service: 'shop-sessions' },
    ]);
    const entry = shop.read('workers/api/src/escf.generated.ts');
    expect(entry).toContain("import { durableObjectFor } from '@escf/cloudflare';");
    expect(entry).toContain("import { Account, Cart } from '../../../src/domain.js';");
    expect(entry).toContain(
      "export const AccountAggregate = durableObjectFor(Account, { queues: ['SESSIONS_QUEUE'], services: ['NOTIFY'], syncSubscribers: { 'notify': 'NOTIFY' }, routes: { SESSIONS_QUEUE: ['AccountOpened'], NOTIFY: ['AccountOpened'] } });",
    );
    expect(entry).toContain("export { default } from './app.js';");
    expect(shop.read('workers/api/migrations/escf-events/0001_escf_events.sql')).toContain(
      'CREATE TABLE IF NOT EXISTS escf_events',
    );
    const env = shop.read('workers/api/src/escf-env.generated.ts');
    expect(env).toContain(
      "readonly ACCOUNT_AGGREGATE: DurableObjectNamespace<InstanceType<typeof import('./escf.generated.js').AccountAggregate>>;",
    );
    expect(env).toContain(
      "readonly SESSIONS: Service<InstanceType<typeof import('../../sessions/src/escf.generated.js').default>>;",
    );
    expect(env).toContain('readonly ESCF_EVENTS: D1Database;');
    // The projections it binds, typed for projectionClients<EscfProjections>(env): queries without RPC wrappers.
    expect(env).toContain('export interface EscfProjections {');
    expect(env).toContain(
      "readonly SESSIONS: import('@escf/cloudflare').ProjectionOf<typeof import('../../sessions/src/escf.generated.js').default>;",
    );
  });

  it("keeps the user's settings, comments and hand-tuned values", async () => {
    await generate({ config: shop.config });
    const text = shop.read('workers/api/wrangler.jsonc');
    expect(text).toContain("// The shop API. This comment is the user's and must survive generation.");
    expect(text).toContain('"compatibility_date": "2026-10-01", // pinned on purpose');
    expect(text).toContain('// the event store already exists in production');
    const api = wrangler('api');
    expect(api.vars).toEqual({ GREETING: 'hello' });
    expect(api.observability).toEqual({ enabled: true });
    expect(api.d1_databases).toEqual([
      {
        binding: 'ESCF_EVENTS',
        database_name: 'shop-events-prod', // the user's name wins over the default
        database_id: '11111111-2222-3333-4444-555555555555',
        migrations_dir: 'migrations/escf-events',
      },
    ]);
    const sessions = wrangler('sessions');
    expect(shop.read('workers/sessions/wrangler.jsonc')).toContain('// tuned by hand: ESCF keeps it');
    expect(sessions.queues.consumers).toEqual([
      {
        queue: 'sessions',
        max_batch_size: 50,
        dead_letter_queue: 'sessions-dlq',
        max_retries: 4,
        max_batch_timeout: 0,
      },
      { queue: 'sessions-dlq' },
    ]);
  });

  it('declares projection and process workers: own D1, queue consumer with dead-letter queue, workflows, crons, cross-worker Durable Objects', async () => {
    await generate({ config: shop.config });
    const sessions = wrangler('sessions');
    expect(sessions.d1_databases).toEqual([
      { binding: 'SESSIONS_DB', migrations_dir: 'migrations', database_name: 'shop-sessions' },
      { binding: 'ESCF_EVENTS', database_name: 'shop-events' },
    ]);
    expect(sessions.queues.producers).toEqual([{ binding: 'SESSIONS_QUEUE', queue: 'sessions' }]);
    // A batch timeout chosen for lag under a second (DEFAULT_QUEUE_BATCH), written when neither the config nor the file names one.
    expect(sessions.queues.consumers[0]).toMatchObject({ queue: 'sessions', max_batch_size: 50, max_batch_timeout: 0 }); // 50: hand-tuned in the fixture, kept
    expect(shop.read('workers/sessions/src/escf.generated.ts')).toContain(
      "export const SessionsEntrypoint = projectionEntrypoint(Sessions, { database: 'SESSIONS_DB', queue: 'SESSIONS_QUEUE', maxRetries: 4, deadLetterQueue: 'sessions-dlq' });\nexport default SessionsEntrypoint;",
    );
    expect(shop.read('workers/sessions/migrations/0000_escf_projection_checkpoints.sql')).toContain(
      'escf_projection_streams',
    );

    const notify = wrangler('notify');
    expect(notify.durable_objects.bindings).toEqual([
      { name: 'ACCOUNT_AGGREGATE', class_name: 'AccountAggregate', script_name: 'shop-api' },
    ]);
    expect(notify.migrations).toBeUndefined(); // the API worker owns the class
    expect(notify.queues).toBeUndefined(); // delivered synchronously
    expect(notify.workflows).toEqual([{ binding: 'REMINDER', name: 'reminder', class_name: 'Reminder' }]);
    expect(notify.triggers).toEqual({ crons: ['0 * * * *'] });
    expect(notify.services).toEqual([{ binding: 'SESSIONS', service: 'shop-sessions' }]);
    const entry = shop.read('workers/notify/src/escf.generated.ts');
    // It sends commands to Account: the generated entry gives it a sender over the Durable Object binding.
    expect(entry).toContain(
      "export const NotifyEntrypoint = processEntrypoint(Notify, { commands: (env: object) => aggregateCommandSender(env, [{ aggregate: Account, binding: 'ACCOUNT_AGGREGATE' }]), database: 'NOTIFY_DB' });",
    );
    expect(shop.read('workers/notify/migrations/0000_escf_process_events.sql')).toContain('escf_process_events');
    // wrangler appends an INSERT to each migration: the last statement must be terminated.
    for (const sql of [
      'workers/notify/migrations/0000_escf_process_events.sql',
      'workers/sessions/migrations/0000_escf_projection_checkpoints.sql',
      'workers/api/migrations/escf-events/0001_escf_events.sql',
    ]) {
      expect(shop.read(sql), sql).toMatch(/;\n$/);
    }
    expect(entry).toContain("export { Reminder } from '../../../src/notify.js';");
  });

  it('gives a projection that sends commands the Durable Object bindings of those aggregates', async () => {
    shop.edit('escf.config.ts', 'queue: { maxRetries: 4 },', 'queue: { maxRetries: 4 },\n      commands: [Account],');
    await generate({ config: shop.config });
    const sessions = wrangler('sessions');
    expect(sessions.durable_objects.bindings).toEqual([
      { name: 'ACCOUNT_AGGREGATE', class_name: 'AccountAggregate', script_name: 'shop-api' },
    ]);
    expect(sessions.migrations).toBeUndefined(); // the API worker owns the class
    expect(shop.read('workers/sessions/src/escf-env.generated.ts')).toContain(
      "readonly ACCOUNT_AGGREGATE: DurableObjectNamespace<InstanceType<typeof import('../../api/src/escf.generated.js').AccountAggregate>>;",
    );
  });

  it('is idempotent: a second run writes nothing and leaves every byte as it was', async () => {
    const first = await generate({ config: shop.config });
    expect(first.written.length).toBeGreaterThan(10);
    const snapshot = first.written.map((path) => [path, shop.read(path.slice(shop.dir.length + 1))]);
    const second = await generate({ config: shop.config });
    expect(second.written).toEqual([]);
    for (const [path, content] of snapshot) expect(shop.read(path!.slice(shop.dir.length + 1))).toBe(content);
  });
});

describe('escf check', () => {
  it('fails before generation and passes after it', async () => {
    const before = await check({ config: shop.config });
    expect(before.ok).toBe(false);
    expect(before.report).toContain('missing: workers/api/src/escf.generated.ts');
    await generate({ config: shop.config });
    const after = await check({ config: shop.config });
    expect(after).toMatchObject({ ok: true, stale: [] });
  });

  it('reports a hand edit of a managed binding as a diff', async () => {
    await generate({ config: shop.config });
    shop.edit('workers/api/wrangler.jsonc', '"class_name": "CartAggregate"', '"class_name": "MyCart"');
    const result = await check({ config: shop.config });
    expect(result.ok).toBe(false);
    expect(result.stale.map((s) => s.path)).toEqual([shop.path('workers/api/wrangler.jsonc')]);
    expect(result.report).toContain('-        "class_name": "MyCart"');
    expect(result.report).toContain('+        "class_name": "CartAggregate"');
  });

  it('reports generated files made stale by a config change', async () => {
    await generate({ config: shop.config });
    shop.edit('escf.config.ts', 'queue: { maxRetries: 4 }', 'queue: { maxRetries: 6 }');
    const result = await check({ config: shop.config });
    expect(result.stale.map((s) => s.path.slice(shop.dir.length + 1)).sort()).toEqual([
      'workers/sessions/src/escf.generated.ts',
      'workers/sessions/wrangler.jsonc',
    ]);
    expect(result.report).toContain('+        "max_retries": 6');
  });

  it('accepts user-owned changes to default-only fields', async () => {
    await generate({ config: shop.config });
    shop.edit(
      'workers/sessions/wrangler.jsonc',
      '"database_name": "shop-sessions"',
      '"database_name": "sessions-prod", "database_id": "abc"',
    );
    expect((await check({ config: shop.config })).ok).toBe(true);
  });
});

describe('Durable Object migrations', () => {
  const withAggregates = (list: string, extra = '') => {
    shop.edit('escf.config.ts', 'aggregates: [Account, Cart],', `aggregates: [${list}],${extra}`);
    shop.edit('escf.config.ts', 'import { Account, Cart }', 'import { Account, Basket, Cart }');
  };

  it('refuses to drop an aggregate silently, and says how to delete or rename it', async () => {
    await generate({ config: shop.config });
    withAggregates('Account');
    await expect(generate({ config: shop.config })).rejects.toThrow(
      /workers\.api\.aggregates: CartAggregate \(aggregate type 'Cart'\) was deployed by migration 'escf-v1'.*add `deleted: \['Cart'\]`.*renamed: \[\{ from: 'Cart', to: 'NewType' \}\]/,
    );
  });

  it('appends renamed_classes for a declared rename, replaces the binding, and stays put on the next run', async () => {
    await generate({ config: shop.config });
    withAggregates('Account, Basket', " renamed: [{ from: 'Cart', to: 'Basket' }],");
    await generate({ config: shop.config });
    const api = wrangler('api');
    expect(api.migrations).toEqual([
      { tag: 'escf-v1', new_sqlite_classes: ['AccountAggregate', 'CartAggregate'] },
      { tag: 'escf-v2', renamed_classes: [{ from: 'CartAggregate', to: 'BasketAggregate' }] },
    ]);
    expect(api.durable_objects.bindings.map((b: Json) => b.name)).toEqual(['ACCOUNT_AGGREGATE', 'BASKET_AGGREGATE']);
    expect((await generate({ config: shop.config })).written).toEqual([]);
  });

  it('appends deleted_classes only for an explicit delete', async () => {
    await generate({ config: shop.config });
    withAggregates('Account', " deleted: ['Cart'],");
    await generate({ config: shop.config });
    const api = wrangler('api');
    expect(api.migrations.at(-1)).toEqual({ tag: 'escf-v2', deleted_classes: ['CartAggregate'] });
    expect(api.durable_objects.bindings).toEqual([{ name: 'ACCOUNT_AGGREGATE', class_name: 'AccountAggregate' }]);
    expect(shop.read('workers/api/src/escf.generated.ts')).not.toContain('Cart');
  });

  it("leaves the user's own migrations alone and adds new aggregates under the next escf tag", async () => {
    shop.edit(
      'workers/api/wrangler.jsonc',
      '"observability"',
      '"migrations": [{ "tag": "v1", "new_sqlite_classes": ["RateLimiter"] }],\n  "observability"',
    );
    await generate({ config: shop.config });
    withAggregates('Account, Cart, Basket');
    await generate({ config: shop.config });
    expect(wrangler('api').migrations).toEqual([
      { tag: 'v1', new_sqlite_classes: ['RateLimiter'] },
      { tag: 'escf-v1', new_sqlite_classes: ['AccountAggregate', 'CartAggregate'] },
      { tag: 'escf-v2', new_sqlite_classes: ['BasketAggregate'] },
    ]);
  });

  it('removes the bindings of a projection that left the system', async () => {
    await generate({ config: shop.config });
    shop.edit('escf.config.ts', "calls: ['sessions'],", '');
    const config = shop.read('escf.config.ts');
    shop.write('escf.config.ts', config.replace(/ {4}sessions: \{[\s\S]*?\n {4}\},\n/, ''));
    await generate({ config: shop.config });
    const api = wrangler('api');
    expect(api.queues).toBeUndefined();
    expect(api.services).toEqual([{ binding: 'NOTIFY', service: 'shop-notify' }]);
    expect(wrangler('notify').services).toBeUndefined();
  });
});
