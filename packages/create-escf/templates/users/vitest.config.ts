import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// `*.unit.test.ts` run in Node (domain code, given/when/then); `*.int.test.ts`
// run inside workerd with real Durable Objects and D1.
export default defineConfig(async () => ({
  test: {
    projects: [
      { test: { name: 'unit', environment: 'node', include: ['test/**/*.unit.test.ts'] } },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './test/wrangler.jsonc' },
            miniflare: {
              bindings: {
                EVENTS_MIGRATIONS: await readD1Migrations('./workers/api/migrations/escf-events'),
                USERS_MIGRATIONS: await readD1Migrations('./workers/users/migrations'),
                SESSIONS_MIGRATIONS: await readD1Migrations('./workers/sessions/migrations'),
              },
            },
          }),
        ],
        test: { name: 'workerd', include: ['test/**/*.int.test.ts'], setupFiles: ['./test/apply-migrations.ts'] },
      },
    ],
  },
}));
