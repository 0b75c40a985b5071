import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { escfSources } from '../../test/source-conditions.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Projections and processes inside workerd: real Durable Objects, D1 and
// Queues (with retries and a dead-letter queue).
export default defineConfig(async () => ({
  plugins: [
    escfSources(),
    cloudflareTest({
      wrangler: { configPath: here('./test/projection/wrangler.jsonc') },
      miniflare: { bindings: { TEST_MIGRATIONS: await readD1Migrations(here('./migrations')) } },
    }),
  ],
  test: {
    name: 'projections',
    include: [here('./test/projection/**/*.int.test.ts'), here('./test/process/**/*.int.test.ts')],
    setupFiles: [here('./test/projection/apply-schema.ts')],
    testTimeout: 60_000,
  },
}));
