import { defineProject } from 'vitest/config';

/** create-escf runs in Node: its tests scaffold into temp folders and run the templates' own checks. */
export default defineProject({
  test: {
    name: 'create-escf',
    environment: 'node',
    include: ['test/**/*.node.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
