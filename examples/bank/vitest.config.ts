import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { escfSources } from '../../test/source-conditions.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The bank example end to end, from Node: `*.e2e.test.ts` start all five
 * workers in workerd (startSystem from @escf/testing/system) and drive them
 * over HTTP; `*.node.test.ts` run `escf check`. The domain's
 * `*.unit.test.ts` run in the root `unit` project.
 */
export default defineProject({
  plugins: [escfSources()],
  test: {
    name: 'example-bank',
    environment: 'node',
    include: [here('./test/**/*.e2e.test.ts'), here('./test/**/*.node.test.ts')],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
