import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The ESCF console in headless Chromium against a system whose event store is
// two D1 databases (worker.ts): archive status, log heads and projection
// progress per shard, and the live tail marking each event with its shard.
// Every step waits for what it expects to see (never a fixed sleep).
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const require = createRequire(import.meta.url);
const CHROMIUM = process.env.ESCF_CHROMIUM ?? '/usr/bin/chromium';
const PASSWORD = 'sharded-console-password';
const WORKER = 'escf-sharded-console-test';
const WAIT = { timeout: 60_000 };

interface D1 {
  prepare(query: string): { first<T>(): Promise<T | null>; run(): Promise<unknown> };
  exec(query: string): Promise<unknown>;
}
interface MiniflareLike {
  ready: Promise<URL>;
  getD1Database(binding: string, worker?: string): Promise<D1>;
  dispose(): Promise<void>;
}

let mf: MiniflareLike;
let base: string;
let outDir: string;
let profile: string;
let context: BrowserContext;
let page: Page;
const shards: D1[] = [];

/** Each shard database's last position, read from the databases themselves. */
async function shardHeads(): Promise<number[]> {
  return Promise.all(
    shards.map(
      async (db) =>
        (await db
          .prepare('SELECT COALESCE(MAX(position + event_count - 1), 0) AS head FROM escf_events')
          .first<{ head: number }>())!.head,
    ),
  );
}

/** The shard database that holds a tally's stream. */
async function shardHolding(id: string): Promise<number> {
  for (const [shard, db] of shards.entries()) {
    const row = await db
      .prepare(`SELECT COUNT(*) AS n FROM escf_events WHERE aggregate_id = '${id}'`)
      .first<{ n: number }>();
    if (row!.n > 0) return shard;
  }
  throw new Error(`no shard holds ${id}`);
}

async function add(id: string, by: number): Promise<void> {
  const response = await page.request.post(`${base}api/sendCommand`, {
    headers: { 'x-escf-console': '1' },
    data: { aggregateType: 'Tally', aggregateId: id, command: 'add', input: { by } },
  });
  expect(response.status()).toBe(200);
}

beforeAll(async () => {
  // Bundled as a deploy would upload it, then run in workerd by wrangler's own Miniflare.
  const wranglerPackage = require.resolve('wrangler/package.json');
  const wranglerRequire = createRequire(wranglerPackage);
  outDir = mkdtempSync(join(tmpdir(), 'escf-sharded-console-'));
  await promisify(execFile)(
    process.execPath,
    [
      join(dirname(wranglerPackage), 'bin', 'wrangler.js'),
      'deploy',
      '--dry-run',
      '--outdir',
      outDir,
      '-c',
      here('./wrangler.jsonc'),
    ],
    { env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' } },
  );
  const { unstable_getMiniflareWorkerOptions } = (await import(wranglerRequire.resolve('wrangler'))) as {
    unstable_getMiniflareWorkerOptions(path: string): { workerOptions: Record<string, unknown> };
  };
  const { Miniflare, convertV4MiniflareOptions } = (await import(wranglerRequire.resolve('miniflare'))) as {
    Miniflare: new (options: unknown) => MiniflareLike;
    convertV4MiniflareOptions?: (options: unknown) => unknown;
  };
  const { modulesRules: _ignored, ...workerOptions } = unstable_getMiniflareWorkerOptions(here('./wrangler.jsonc'))
    .workerOptions as Record<string, unknown>;
  const options = {
    workers: [
      {
        ...workerOptions,
        name: WORKER,
        modules: true,
        modulesRoot: outDir,
        scriptPath: join(outDir, 'worker.js'),
        bindings: {
          ESCF_ADMIN_READ_TOKEN: 'sharded-read-token-0123456789',
          ESCF_ADMIN_WRITE_TOKEN: 'sharded-write-token-0123456789',
          ESCF_ADMIN_TOKEN: 'sharded-write-token-0123456789',
          ESCF_CONSOLE_PASSWORD: PASSWORD,
        },
      },
    ],
    port: 0,
    // The workers' JSON log lines (admin actions, sign-ins) are expected here: keep them off the test output.
    handleStructuredLogs: () => {},
  };
  // Wrangler's own Miniflare: the worker options it derives match that version's schema.
  mf = new Miniflare(convertV4MiniflareOptions ? convertV4MiniflareOptions(options) : options);
  const url = await mf.ready;
  // localhost: a secure context, so the Secure session cookie is kept over plain http.
  base = `http://localhost:${url.port}/`;
  const schema = readFileSync(here('../../../cloudflare/migrations/0001_escf_events.sql'), 'utf8');
  for (const binding of ['ESCF_EVENTS', 'ESCF_EVENTS_1']) {
    const db = await mf.getD1Database(binding, WORKER);
    for (const statement of schema.split(';').map((s) => s.replace(/--.*$/gm, '').trim()))
      if (statement) await db.prepare(statement).run();
    shards.push(db);
  }
  await (await mf.getD1Database('TOTALS_DB', WORKER))
    .prepare('CREATE TABLE IF NOT EXISTS totals (id TEXT PRIMARY KEY, total INTEGER NOT NULL)')
    .run();

  profile = mkdtempSync(join(tmpdir(), 'escf-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    viewport: { width: 1360, height: 900 },
  });
  page = await context.newPage();
  await page.goto(base);
  await page.waitForURL(/\/login$/, WAIT);
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('.sidebar', WAIT);

  // Tallies until both shard databases hold streams.
  for (let i = 0; new Set(await Promise.all(Array.from({ length: i }, (_, n) => shardHolding(`t-${n}`)))).size < 2; i++)
    await add(`t-${i}`, i + 1);
}, 240_000);

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await mf?.dispose();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('the ESCF console over a sharded event store, in a browser', () => {
  it('marks each live-tail event with its shard and that shard’s position', async () => {
    await page.goto(`${base}#/tail`);
    await expect.poll(() => page.locator('.page-head .badge').textContent(), WAIT).toBe('live');
    const ids = Array.from({ length: 6 }, (_, i) => `tail-${i}`);
    for (const id of ids) await add(id, 1);
    for (const id of ids) {
      const item = page.locator('[data-testid=tail-item]', { hasText: `Tally ${id} v1` });
      await item.waitFor(WAIT);
      const shard = await shardHolding(id);
      const position = (await shards[shard]!.prepare(
        `SELECT position FROM escf_events WHERE aggregate_id = '${id}'`,
      ).first<{ position: number }>())!.position;
      expect(await item.locator('.badge').first().textContent()).toBe(`shard ${shard} · #${position}`);
    }
  });

  it('marks each instance’s last position with its shard', async () => {
    await page.goto(`${base}#/instances?type=Tally&id=t-*`);
    const table = page.locator('[data-testid=instances]');
    await table.waitFor(WAIT);
    for (const id of ['t-0', 't-1']) {
      const shard = await shardHolding(id);
      const position = (await shards[shard]!.prepare(
        `SELECT position FROM escf_events WHERE aggregate_id = '${id}'`,
      ).first<{ position: number }>())!.position;
      const cells = await table
        .locator('tr', { has: page.locator(`a:text-is("${id}")`) })
        .locator('td')
        .allTextContents();
      expect(cells[5]).toBe(`shard ${shard} · #${position}`);
    }
  });

  it('shows the log head per shard and the projection’s position and lag in each shard', async () => {
    await page.goto(`${base}#/projections`);
    const heads = await shardHeads();
    await expect
      .poll(() => page.locator('[data-testid=log-head]').textContent(), WAIT)
      .toContain(`position ${heads[0]! + heads[1]!} (shard 0: ${heads[0]} · shard 1: ${heads[1]})`);
    for (const shard of [0, 1]) {
      const row = page.locator(`[data-testid=shard-totals-${shard}]`);
      await expect
        .poll(() => row.locator('td').allTextContents(), WAIT)
        .toEqual([`shard ${shard}`, String(heads[shard]), String(heads[shard]), '0 ev']);
    }
    expect(await page.locator('[data-testid=lag-totals]').textContent()).toBe('0 ev');
    // Its position, like the log head, is the sum over shards.
    expect(await page.locator('[data-testid=position-totals]').textContent()).toBe(String(heads[0]! + heads[1]!));

    // Behind in shard 1 only (its recorded position there set back to 0): the lag is every event of shard 1.
    const totals = await mf.getD1Database('TOTALS_DB', WORKER);
    await totals
      .prepare("UPDATE escf_projection_shard_positions SET position = 0 WHERE projection = 'totals' AND shard = 1")
      .run();
    await expect
      .poll(() => page.locator('[data-testid=shard-totals-1] td').allTextContents(), WAIT)
      .toEqual(['shard 1', String(heads[1]), '0', `${heads[1]} ev`]);
    expect(await page.locator('[data-testid=shard-totals-0] td').allTextContents()).toEqual([
      'shard 0',
      String(heads[0]),
      String(heads[0]),
      '0 ev',
    ]);
    expect(await page.locator('[data-testid=lag-totals]').textContent()).toBe(`${heads[1]} ev`);
    await totals
      .prepare(
        `UPDATE escf_projection_shard_positions SET position = ${heads[1]} WHERE projection = 'totals' AND shard = 1`,
      )
      .run();
  });

  it('draws each shard’s D1 rows, positions and archive figures on the archive page', async () => {
    await page.goto(`${base}#/archive`);
    const table = page.locator('[data-testid=archive-shards]');
    await table.waitFor(WAIT);
    const heads = await shardHeads();
    for (const shard of [0, 1]) {
      const rows = (await shards[shard]!.prepare(
        'SELECT COUNT(*) AS n, MIN(position) AS first FROM escf_events',
      ).first<{
        n: number;
        first: number;
      }>())!;
      const cells = await page.locator(`[data-testid=archive-shard-${shard}] td`).allTextContents();
      expect(cells.slice(0, 2)).toEqual([`shard ${shard}`, String(rows.n)]);
      expect(cells[4]).toBe(`${rows.first} … ${heads[shard]}`);
      expect(cells[5]).toBe('0'); // nothing archived yet: no segments
    }
  });
});
