import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const example = fileURLToPath(new URL('..', import.meta.url));
const escf = fileURLToPath(new URL('../../../packages/cli/bin/escf.mjs', import.meta.url));

it('has every generated file up to date with escf.config.ts (escf check)', async () => {
  // execFile rejects on a non-zero exit, with the diff escf check printed.
  const { stdout } = await promisify(execFile)(process.execPath, [escf, 'check'], { cwd: example });
  expect(stdout).toMatch(/escf check: all \d+ generated files are up to date/);
});
