import { defineConfig } from 'vitest/config';

// `*.unit.test.ts` run in Node (domain code, given/when/then); `*.e2e.test.ts`
// start every worker of the system in workerd (startSystem from
// @escf/testing/system, configured from escf.config.ts) and drive it over HTTP.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', environment: 'node', include: ['test/**/*.unit.test.ts'] } },
      {
        test: {
          name: 'system',
          environment: 'node',
          include: ['test/**/*.e2e.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
