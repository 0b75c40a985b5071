import { defineProject } from 'vitest/config';

/**
 * ESCF from outside this repository: every package packed, a project
 * scaffolded by the packed create-escf (and a plain Hono Worker given ESCF
 * by `escf init`) in the OS temp dir, installed from the tarballs and the
 * registry, then driven through its own commands. Slow (npm install), so
 * each project is set up once per file and the files run in parallel.
 */
export default defineProject({
  test: {
    name: 'outside',
    environment: 'node',
    include: ['**/*.e2e.test.ts'],
    globalSetup: ['./pack-packages.ts'],
    testTimeout: 300_000,
    hookTimeout: 900_000,
  },
});
