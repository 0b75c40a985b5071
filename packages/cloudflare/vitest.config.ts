import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { build } from 'esbuild';
import { defineConfig } from 'vitest/config';
import { escfSources } from '../../test/source-conditions.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// @escf/cloudflare's integration tests: real Durable Objects, D1, Queues and
// a service-bound subscriber worker, inside workerd.
export default defineConfig(async () => {
  // Auxiliary workers must be prebuilt JavaScript: bundle the subscriber first.
  await build({
    entryPoints: [here('./test/subscriber.ts')],
    outfile: here('./test/dist/subscriber.js'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external: ['cloudflare:*', 'node:*'],
    conditions: ['escf-source', 'workerd', 'worker', 'browser'],
    logLevel: 'warning',
  });
  return {
    plugins: [
      escfSources(),
      cloudflareTest({
        wrangler: { configPath: here('./test/wrangler.jsonc') },
        miniflare: {
          bindings: { TEST_MIGRATIONS: await readD1Migrations(here('./migrations')) },
          workers: [
            {
              name: 'escf-test-subscriber',
              modules: true,
              scriptPath: here('./test/dist/subscriber.js'),
              compatibilityDate: '2026-11-01',
            },
          ],
        },
      }),
    ],
    test: {
      name: 'cloudflare',
      // test/admin, test/archive, test/projection and test/process run in their own projects (own wrangler configs).
      include: [here('./test/**/*.int.test.ts')],
      exclude: ['admin', 'archive', 'projection', 'process'].map((suite) => here(`./test/${suite}/**`)),
      setupFiles: [here('./test/apply-migrations.ts')],
      testTimeout: 30_000,
    },
  };
});
