import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { escfSources } from '../../test/source-conditions.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The orders saga inside workerd: Durable Objects, D1, a queue and Workflows.
export default defineConfig(async () => ({
  plugins: [
    escfSources(),
    cloudflareTest({
      wrangler: { configPath: here('./wrangler.jsonc') },
      miniflare: {
        bindings: { TEST_MIGRATIONS: await readD1Migrations(here('../../packages/cloudflare/migrations')) },
      },
    }),
  ],
  test: {
    name: 'example-orders',
    include: [here('./test/**/*.int.test.ts')],
    setupFiles: [here('./test/apply-schema.ts')],
    testTimeout: 60_000,
  },
}));
