import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { escfSources } from '../../test/source-conditions.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The admin entrypoint inside workerd: real aggregate Durable Objects, D1 and a projection entrypoint.
export default defineConfig(async () => ({
  plugins: [
    escfSources(),
    cloudflareTest({
      wrangler: { configPath: here('./test/admin/wrangler.jsonc') },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(here('./migrations')),
          ESCF_ADMIN_READ_TOKEN: 'read-token-0123456789abcdef',
          ESCF_ADMIN_WRITE_TOKEN: 'write-token-0123456789abcdef',
        },
      },
    }),
  ],
  test: {
    name: 'admin',
    include: [here('./test/admin/**/*.int.test.ts')],
    setupFiles: [here('./test/admin/apply-schema.ts')],
    testTimeout: 60_000,
  },
}));
