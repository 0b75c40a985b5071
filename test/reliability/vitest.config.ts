import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { escfSources } from '../source-conditions.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The adversarial reliability suite (docs/reliability.md): crashes between
// writes, load, delivery faults, fuzzed input, size limits and tenancy,
// against real Durable Objects, D1 and Queues in workerd.
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
    name: 'reliability',
    include: [here('./**/*.int.test.ts')],
    setupFiles: [here('./apply-schema.ts')],
    testTimeout: 60_000,
  },
}));
