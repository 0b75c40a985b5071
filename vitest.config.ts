import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { escfSources } from './test/source-conditions.js';

/**
 * Test tiers: `*.unit.test.ts` run in Node (pure domain code), `*.int.test.ts`
 * run inside workerd with real Durable Objects, D1 and Queues. Type tests
 * (`*.test-d.ts`) are compiled by `npm run typecheck`.
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      // Each package with workerd tests owns a vitest.config.ts of its own.
      'packages/*/vitest.config.ts',
      'packages/cloudflare/vitest.projections.config.ts',
      'packages/cloudflare/vitest.archive.config.ts',
      'packages/cloudflare/vitest.admin.config.ts',
      'test/reliability/vitest.config.ts',
      'examples/*/vitest.config.ts',
      'test/outside/vitest.config.ts',
      'examples/users/vitest.console.config.ts',
      'test/generated-archive/vitest.config.ts',
      'packages/console/vitest.browser.config.ts',
      {
        plugins: [escfSources()],
        test: {
          name: 'unit',
          environment: 'node',
          include: [
            'packages/*/test/**/*.unit.test.ts',
            'examples/*/test/**/*.unit.test.ts',
            'docs/snippets/**/*.unit.test.ts',
            'test/node/**/*.unit.test.ts',
          ],
        },
      },
      {
        plugins: [escfSources(), cloudflareTest({ wrangler: { configPath: './test/workerd/wrangler.jsonc' } })],
        test: {
          name: 'core-in-workerd',
          include: ['test/workerd/**/*.int.test.ts'],
        },
      },
      {
        // What npm would publish: packs every public package, then publint, attw and npm publish --dry-run.
        test: {
          name: 'packages',
          environment: 'node',
          include: ['test/packages/**/*.node.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
