import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { escfSources } from '../source-conditions.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The archiver `escf generate` wrote for system/ (escf.config.ts `archive`), run
// inside workerd as generated: its wrangler.jsonc, its entry module, real D1 and R2.
export default defineConfig(async () => ({
  plugins: [
    escfSources(),
    cloudflareTest({
      wrangler: { configPath: here('./system/workers/api/wrangler.jsonc') },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(here('./system/workers/api/migrations/escf-events')),
          TOTALS_MIGRATIONS: await readD1Migrations(here('./system/workers/totals/migrations')),
          ESCF_ADMIN_READ_TOKEN: 'generated-archive-read-token',
        },
        // The totals projection's own database: the tests run its generated entrypoint in this worker too.
        d1Databases: { TOTALS_DB: 'ledger-totals' },
        // The admin entrypoint binds every projection's worker (TOTALS → ledger-totals); these tests never call it.
        workers: [
          {
            name: 'ledger-totals',
            modules: true,
            script: 'export default { fetch: () => new Response("not under test", { status: 501 }) };',
            compatibilityDate: '2026-11-01',
          },
        ],
      },
    }),
  ],
  test: {
    name: 'generated-archive',
    include: [here('./**/*.int.test.ts')],
    setupFiles: [here('./apply-migrations.ts')],
    testTimeout: 60_000,
  },
}));
