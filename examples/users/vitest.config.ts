import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { escfSources } from '../../test/source-conditions.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The users example end to end, from Node: `*.e2e.test.ts` start all four
 * workers in workerd and drive them over HTTP; `*.node.test.ts` run the CLI
 * (`escf check`). The domain's `*.unit.test.ts` run in the root `unit` project.
 */
export default defineProject({
  plugins: [escfSources()],
  test: {
    name: 'example-users',
    environment: 'node',
    include: [here('./test/**/*.e2e.test.ts'), here('./test/**/*.node.test.ts')],
    testTimeout: 30_000,
    // Starting four workers takes ~10 s alone and several times that on a loaded machine.
    hookTimeout: 240_000,
  },
});
