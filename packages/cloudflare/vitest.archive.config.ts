import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { escfSources } from '../../test/source-conditions.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Retention and archiving inside workerd: real D1, R2 and aggregate Durable Objects.
export default defineConfig(async () => ({
  plugins: [
    escfSources(),
    cloudflareTest({
      wrangler: { configPath: here('./test/archive/wrangler.jsonc') },
      miniflare: { bindings: { TEST_MIGRATIONS: await readD1Migrations(here('./migrations')) } },
    }),
  ],
  test: {
    name: 'archive',
    include: [here('./test/archive/**/*.int.test.ts')],
    setupFiles: [here('./test/archive/apply-migrations.ts')],
    testTimeout: 60_000,
  },
}));
