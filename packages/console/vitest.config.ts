import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { escfSources } from '../../test/source-conditions.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The console worker's sign-in, session cookie and request rules inside workerd.
export default defineConfig({
  plugins: [
    escfSources(),
    cloudflareTest({
      wrangler: { configPath: here('./test/wrangler.jsonc') },
      miniflare: {
        bindings: { ESCF_CONSOLE_PASSWORD: 'console-test-password', ESCF_ADMIN_TOKEN: 'unused-admin-token-000' },
      },
    }),
  ],
  test: {
    name: 'console',
    include: [here('./test/**/*.int.test.ts')],
    testTimeout: 30_000,
  },
});
