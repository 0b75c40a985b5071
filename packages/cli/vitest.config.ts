import { defineProject } from 'vitest/config';
import { escfSources } from '../../test/source-conditions.js';

/** The CLI runs in Node: its tests generate into temp copies of fixtures and run wrangler. */
export default defineProject({
  plugins: [escfSources()],
  test: {
    name: 'cli',
    environment: 'node',
    include: ['test/**/*.node.test.ts'],
    // Dry runs of wrangler take ~1.5 s each.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
