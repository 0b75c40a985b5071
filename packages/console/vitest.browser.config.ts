import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { escfSources } from '../../test/source-conditions.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The console in headless Chromium (playwright-core, Debian's chromium)
 * against a system of its own in workerd (test/sharded-store/worker.ts).
 * Generous timeouts: every step waits for a condition, never for a time.
 */
export default defineProject({
  plugins: [escfSources()],
  test: {
    name: 'console-sharded-browser',
    environment: 'node',
    include: [here('./test/**/*.browser.test.ts')],
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
