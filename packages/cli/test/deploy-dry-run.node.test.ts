import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy, FIRST_DEPLOY_CONFIG } from '../src/commands/deploy.js';
import { generate } from '../src/commands/generate.js';
import { copyFixture, type FixtureCopy } from './support/fixture-copy.js';

const users = fileURLToPath(new URL('../../../examples/users/escf.config.ts', import.meta.url));

describe('escf deploy --dry-run', () => {
  it('checks every worker of the users example in dependency order, the console last, and lists the migrations', async () => {
    const lines: string[] = [];
    const result = await deploy({ config: users, dryRun: true, log: (line) => lines.push(line) });
    const output = lines.join('\n');
    expect(result.ok, output).toBe(true);
    expect(
      result.plan.filter((line) => line.startsWith('wrangler deploy')).map((line) => /-c (\S+)/.exec(line)![1]),
    ).toEqual([
      'workers/users/wrangler.jsonc',
      'workers/sessions/wrangler.jsonc',
      'workers/email/wrangler.jsonc',
      'workers/api/wrangler.jsonc',
      'workers/console/wrangler.jsonc',
    ]);
    expect(output).toContain(
      'would run wrangler d1 migrations apply ESCF_EVENTS --remote -c workers/api/wrangler.jsonc',
    );
    expect(output).toMatch(/deploy users-console: checked \([\d.]+ KiB, gzip [\d.]+ KiB\)/);
    expect(output).toContain('wrangler secret put ESCF_ADMIN_READ_TOKEN');
  });

  it('deploys the API twice around a cycle (an API whose process commands its aggregates)', async () => {
    const shop = copyFixture('shop');
    try {
      await generate({ config: shop.config });
      const lines: string[] = [];
      const result = await deploy({ config: shop.config, dryRun: true, log: (line) => lines.push(line) });
      const output = lines.join('\n');
      expect(result.ok, output).toBe(true);
      expect(
        result.plan.filter((line) => line.startsWith('wrangler deploy')).map((line) => /-c (\S+)/.exec(line)![1]),
      ).toEqual([
        'workers/sessions/wrangler.jsonc',
        'workers/api/wrangler.jsonc',
        'workers/notify/wrangler.jsonc',
        'workers/api/wrangler.jsonc',
      ]);
      expect(output).toContain('deploy shop-api: checked with and without NOTIFY');
      expect(output).toMatch(/deploy shop-api \(again, with every binding\): checked/);
      expect(existsSync(shop.path(`workers/api/${FIRST_DEPLOY_CONFIG}`))).toBe(false);
    } finally {
      shop.remove();
    }
  });

  describe('when a step fails', () => {
    let shop: FixtureCopy;
    beforeAll(async () => {
      shop = copyFixture('shop');
      await generate({ config: shop.config });
      shop.write('workers/api/src/app.ts', "import missing from './does-not-exist.js';\nexport default missing;\n");
    });
    afterAll(() => shop.remove());

    it('stops, naming the worker and quoting wrangler', async () => {
      const lines: string[] = [];
      const result = await deploy({ config: shop.config, dryRun: true, log: (line) => lines.push(line) });
      expect(result.ok).toBe(false);
      expect(result.failure?.workerName).toBe('shop-api');
      const output = lines.join('\n');
      expect(output).toMatch(/escf deploy: deploy shop-api failed \(worker shop-api\)\. wrangler said:/);
      expect(output).toContain('does-not-exist');
      // Nothing after the failing step ran.
      expect(output).not.toContain('deploy shop-api: checked');
    });
  });
});
