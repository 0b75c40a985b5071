import { defineProject } from 'vitest/config';

/** The CLI runs in Node: its tests generate into temp copies of fixtures and run wrangler. */
export default defineProject({
  test: {
    name: 'cli',
    environment: 'node',
    include: ['test/**/*.node.test.ts'],
    // Dry runs of wrangler take ~1.5 s each.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
