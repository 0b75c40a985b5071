import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'jsonc-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { check } from '../src/commands/check.js';
import { generate } from '../src/commands/generate.js';
import { main } from '../src/main.js';
import { copyFixture, type FixtureCopy } from './support/fixture-copy.js';

type Json = Record<string, any>;

let shop: FixtureCopy;
beforeEach(() => {
  shop = copyFixture('shop');
});
afterEach(() => shop.remove());

const RETENTION = `import { defineRetention, retention } from '@escf/core/retention';
export default defineRetention({
  default: retention.keepDays(90),
  aggregates: { Cart: retention.keepLastEvents(100) },
  pruneDurableObjects: ['Cart'],
});
`;

/** Turns archiving on in the shop fixture (`archive` in escf.config.ts, a retention module). */
function archive(options = "retention: './src/retention.ts', schedule: '*/15 * * * *'", retention = RETENTION) {
  shop.write('src/retention.ts', retention);
  shop.edit('escf.config.ts', "name: 'shop',", `name: 'shop',\n  archive: { ${options} },`);
}

const wrangler = (worker: string): Json => parse(shop.read(`workers/${worker}/wrangler.jsonc`)) as Json;
const entry = (worker: string) => shop.read(`workers/${worker}/src/escf.generated.ts`);

/** Every file under the fixture's workers/ folder, by relative path. */
function workerFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(shop.dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(shop.path('workers'));
  return files;
}

async function run(...args: string[]) {
  const err: string[] = [];
  const code = await main(
    args,
    () => {},
    (line) => err.push(String(line)),
  );
  return { code, err: err.join('\n') };
}

describe('escf generate with `archive` in escf.config.ts', () => {
  it('gives the API worker the R2 bucket, the cron, the archiver and the scheduled handler', async () => {
    archive();
    await generate({ config: shop.config });
    const api = wrangler('api');
    expect(api.r2_buckets).toEqual([{ binding: 'ESCF_ARCHIVE', bucket_name: 'shop-event-archive' }]);
    expect(api.triggers).toEqual({ crons: ['*/15 * * * *'] });
    const code = entry('api');
    expect(code).toContain("import { default as escfRetention } from '../../../src/retention.js';");
    expect(code).toContain(
      'new EventArchiver((env as { ESCF_EVENTS: D1Database }).ESCF_EVENTS, (env as { ESCF_ARCHIVE: R2Bucket }).ESCF_ARCHIVE, {',
    );
    expect(code).toContain("bindings: { Account: 'ACCOUNT_AGGREGATE', Cart: 'CART_AGGREGATE' },");
    expect(code).toContain(
      "history: { d1: 'ESCF_EVENTS', bucket: 'ESCF_ARCHIVE', table: 'escf_events', prefix: defaultArchivePrefix() },",
    );
    // Only the pruned aggregate reads its history back from the archive.
    expect(code).toMatch(/CartAggregate = durableObjectFor\(Cart, \{[^\n]*prunedHistory: archivedHistory \}\);/);
    expect(code).not.toMatch(/AccountAggregate = [^\n]*prunedHistory/);
    // The user's default export keeps its handlers; the archiver gets its cron.
    expect(code).toContain("import { default as escfEntry } from './app.js';");
    expect(code).toContain(
      "export default withArchiveSchedule(escfEntry, { cron: '*/15 * * * *', archiver: escfArchiver });",
    );
    expect(code).not.toContain("export { default } from './app.js';");
    expect(shop.read('workers/api/src/escf-env.generated.ts')).toContain('readonly ESCF_ARCHIVE: R2Bucket;');
    // Run again: nothing changes.
    expect((await generate({ config: shop.config })).written).toEqual([]);
  });

  it('an API worker without an entry module of its own exports just the archive schedule as its default', async () => {
    archive();
    shop.edit('escf.config.ts', "      entry: './workers/api/src/app.ts',\n", '');
    await generate({ config: shop.config });
    expect(entry('api')).toContain(
      "export default withArchiveSchedule(undefined, { cron: '*/15 * * * *', archiver: escfArchiver });",
    );
    expect(entry('api')).not.toContain('escfEntry');
  });

  it('has projections and processes read the archive, then D1; they bind the bucket but run no cron', async () => {
    archive();
    await generate({ config: shop.config });
    for (const worker of ['sessions', 'notify']) {
      expect(wrangler(worker).r2_buckets).toEqual([{ binding: 'ESCF_ARCHIVE', bucket_name: 'shop-event-archive' }]);
      expect(entry(worker)).toContain(
        'eventStore: (env: object) => new ArchivingEventStore((env as { ESCF_EVENTS: D1Database }).ESCF_EVENTS, (env as { ESCF_ARCHIVE: R2Bucket }).ESCF_ARCHIVE)',
      );
      expect(shop.read(`workers/${worker}/src/escf-env.generated.ts`)).toContain('readonly ESCF_ARCHIVE: R2Bucket;');
    }
    expect(wrangler('sessions').triggers).toBeUndefined();
  });

  it('with shards: ShardedEventArchiver and ShardedArchivingEventStore over every shard; the console gets the archiver', async () => {
    archive("retention: './src/retention.ts', schedule: '0 * * * *', bucket: 'shop-archive'");
    shop.edit(
      'escf.config.ts',
      "name: 'shop',",
      "name: 'shop',\n  shards: [2, 3],\n  console: { dir: 'workers/console' },",
    );
    await generate({ config: shop.config });
    const code = entry('api');
    expect(code).toContain(
      "new ShardedEventArchiver(['ESCF_EVENTS', 'ESCF_EVENTS_1', 'ESCF_EVENTS_2'].map((binding) => (env as Record<string, D1Database>)[binding]!), (env as { ESCF_ARCHIVE: R2Bucket }).ESCF_ARCHIVE, {",
    );
    expect(code).toContain(
      "history: { d1: ['ESCF_EVENTS', 'ESCF_EVENTS_1', 'ESCF_EVENTS_2'][shard]!, bucket: 'ESCF_ARCHIVE', table: 'escf_events', prefix },",
    );
    expect(code).toMatch(/export const EscfAdmin = adminEntrypoint\(\{[\s\S]*\n {2}archiver: escfArchiver,\n\}\);/);
    expect(entry('sessions')).toContain(
      "new ShardedArchivingEventStore(['ESCF_EVENTS', 'ESCF_EVENTS_1', 'ESCF_EVENTS_2'].map((binding) => (env as Record<string, D1Database>)[binding]!), (env as { ESCF_ARCHIVE: R2Bucket }).ESCF_ARCHIVE, { layouts: [{ count: 2 }, { count: 3 }] })",
    );
    expect(entry('sessions')).not.toContain('ShardedD1EventStore');
    expect(wrangler('api').r2_buckets).toEqual([{ binding: 'ESCF_ARCHIVE', bucket_name: 'shop-archive' }]);
  });

  it('without `archive` the output is what it was; removing `archive` takes everything it added away again', async () => {
    await generate({ config: shop.config });
    const without = workerFiles();
    expect(Object.values(without).join('\n')).not.toMatch(/ESCF_ARCHIVE|Archiv|r2_buckets/);

    archive();
    await generate({ config: shop.config });
    expect(workerFiles()).not.toEqual(without);
    shop.edit('escf.config.ts', "\n  archive: { retention: './src/retention.ts', schedule: '*/15 * * * *' },", '');
    await generate({ config: shop.config });
    expect(workerFiles()).toEqual(without);
  });

  it('leaves a bucket name the user changed in wrangler.jsonc alone when the config names none', async () => {
    archive();
    await generate({ config: shop.config });
    shop.edit('workers/api/wrangler.jsonc', '"bucket_name": "shop-event-archive"', '"bucket_name": "prod-archive"');
    await generate({ config: shop.config });
    expect(wrangler('api').r2_buckets).toEqual([{ binding: 'ESCF_ARCHIVE', bucket_name: 'prod-archive' }]);
  });

  it('keeps the generated fixture that runs in workerd (test/generated-archive) up to date', async () => {
    const config = fileURLToPath(new URL('../../../test/generated-archive/system/escf.config.ts', import.meta.url));
    const result = await check({ config });
    expect(result.report).toBe(result.ok ? result.report : '');
    expect(result.ok).toBe(true);
  });
});

describe('bad `archive` config', () => {
  it.each([
    ['a cron with four fields', "schedule: '*/15 * * *'", /archive\.schedule: expected five fields/],
    [
      'a minute out of range',
      "schedule: '61 * * * *'",
      /archive\.schedule: "61 \* \* \* \*": the minute field "61" has "61"/,
    ],
    ['a bad step', "schedule: '*/0 * * * *'", /archive\.schedule: .*the minute field "\*\/0" has a step/],
    ['an unknown weekday', "schedule: '0 3 * * FUN'", /archive\.schedule: .*the day of week field "FUN"/],
    [
      'a bucket name R2 refuses',
      "schedule: '0 * * * *', bucket: 'My_Bucket'",
      /archive\.bucket: an R2 bucket name is 3–63/,
    ],
  ])('%s', async (_, schedule, message) => {
    archive(`retention: './src/retention.ts', ${schedule}`);
    await expect(generate({ config: shop.config })).rejects.toThrow(message);
  });

  it('a retention module that does not exist', async () => {
    archive("retention: './src/policies.ts', schedule: '0 * * * *'");
    const { code, err } = await run('generate', '--config', shop.config);
    expect(code).toBe(1);
    expect(err).toMatch(
      /archive\.retention: \.\/src\/policies\.ts does not exist\. Create it with `export default defineRetention/,
    );
    expect(err).not.toMatch(/\n\s+at /);
    expect(() => shop.read('workers/api/src/escf.generated.ts')).toThrow(/ENOENT/);
  });

  it('a retention module whose default export is not defineRetention(…)', async () => {
    archive(undefined, "export default { default: { kind: 'keepDays', days: 90 } };\n");
    await expect(generate({ config: shop.config })).rejects.toThrow(
      /archive\.retention: \.\/src\/retention\.ts must `export default defineRetention\(\{ … \}\)`.*a plain object/,
    );
    shop.write('src/retention.ts', 'export const policies = 1;\n');
    await expect(generate({ config: shop.config })).rejects.toThrow(/its default export is missing/);
  });

  it('a policy that names an aggregate type the system does not have', async () => {
    archive(undefined, RETENTION.replace('aggregates: { Cart:', 'aggregates: { Crat:'));
    await expect(generate({ config: shop.config })).rejects.toThrow(
      /archive\.retention: \.\/src\/retention\.ts names the aggregate type 'Crat', which no api worker hosts \(types: Account, Cart\)/,
    );
  });

  it('a pruned aggregate hosted by another API worker than the one running the archiver', async () => {
    archive(undefined, RETENTION.replace("pruneDurableObjects: ['Cart']", "pruneDurableObjects: ['Basket']"));
    shop.edit('escf.config.ts', 'import { Account, Cart }', 'import { Account, Basket, Cart }');
    shop.edit(
      'escf.config.ts',
      '    sessions: {',
      "    baskets: { kind: 'api', dir: 'workers/baskets', from: './src/domain.ts', aggregates: [Basket] },\n    sessions: {",
    );
    await expect(generate({ config: shop.config })).rejects.toThrow(
      /archive\.retention: .*prunes the Durable Objects of 'Basket', which workers\.baskets hosts, but the archiver runs in workers\.api/,
    );
  });

  it('keepSinceSnapshot for an aggregate hosted by another API worker than the one running the archiver', async () => {
    archive(undefined, RETENTION.replace('retention.keepDays(90)', 'retention.keepSinceSnapshot()'));
    shop.edit('escf.config.ts', 'import { Account, Cart }', 'import { Account, Basket, Cart }');
    shop.edit(
      'escf.config.ts',
      '    sessions: {',
      "    baskets: { kind: 'api', dir: 'workers/baskets', from: './src/domain.ts', aggregates: [Basket] },\n    sessions: {",
    );
    await expect(generate({ config: shop.config })).rejects.toThrow(
      /archive\.retention: .*keeps 'Basket' since its snapshot \(keepSinceSnapshot\), .*workers\.baskets hosts it and the archiver runs in workers\.api/,
    );
    // Another policy for it is fine.
    shop.edit('src/retention.ts', 'aggregates: { Cart:', 'aggregates: { Basket: retention.keepDays(30), Cart:');
    await generate({ config: shop.config });
  });

  it("a cron of the user's own in wrangler.jsonc that is also the archive cron", async () => {
    archive();
    shop.edit(
      'workers/api/wrangler.jsonc',
      '"observability"',
      '"triggers": { "crons": ["*/15 * * * *"] },\n  "observability"',
    );
    await expect(generate({ config: shop.config })).rejects.toThrow(
      /workers\/api\/wrangler\.jsonc: `triggers\.crons` already lists '\*\/15 \* \* \* \*', the cron of archive\.schedule/,
    );
    // Another cron string for the same times is fine: both run, each its own job.
    shop.edit('workers/api/wrangler.jsonc', '["*/15 * * * *"]', '["0,15,30,45 * * * *"]');
    await generate({ config: shop.config });
    expect(wrangler('api').triggers).toEqual({ crons: ['0,15,30,45 * * * *', '*/15 * * * *'] });
  });

  it('a retention policy defineRetention refuses fails while loading, naming the policy', async () => {
    archive(undefined, RETENTION.replace('keepDays(90)', 'keepDays(-1)'));
    await expect(generate({ config: shop.config })).rejects.toThrow(
      /retention\.keepDays\(-1\): expected a positive number/,
    );
  });
});
