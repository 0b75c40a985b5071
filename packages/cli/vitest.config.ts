import { defineProject } from 'vitest/config';
import { escfSources } from '../../test/source-conditions.js';

/** The CLI runs in Node: its tests generate into temp copies of fixtures and run wrangler. */
export default defineProject({
  plugins: [escfSources()],
  test: {
    name: 'cli',
    environment: 'node',
    include: ['test/**/*.node.test.ts'],
    // Each escf.config.ts load imports a fresh bundle; Node imports it natively, so the test runner
    // does not transform and keep every bundle (with its source map) for the whole run.
    server: { deps: { external: [/escf\.config\.bundle\.mjs$/] } },
    // Dry runs of wrangler take ~1.5 s each.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
