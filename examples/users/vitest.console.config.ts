import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { escfSources } from '../../test/source-conditions.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The ESCF console end to end: the whole users system and its console in
 * workerd, driven in headless Chromium (playwright-core, Debian's chromium).
 * Generous timeouts: every step waits for a condition, never for a time.
 */
export default defineProject({
  plugins: [escfSources()],
  test: {
    name: 'console-browser',
    environment: 'node',
    include: [here('./test/console/**/*.browser.test.ts')],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
