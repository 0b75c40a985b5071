import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliDir = fileURLToPath(new URL('../..', import.meta.url));
const repoNodeModules = resolve(cliDir, '..', '..', 'node_modules');

/** A temp copy of `test/fixtures/<name>` with helpers to read and edit it. */
export interface FixtureCopy {
  readonly dir: string;
  readonly config: string;
  path(relative: string): string;
  read(relative: string): string;
  write(relative: string, content: string): void;
  /** Replaces text in a file; fails when `search` is absent, so edits cannot silently miss. */
  edit(relative: string, search: string, replacement: string): void;
  remove(): void;
}

/**
 * Copies the fixture to the OS temp dir, like a project of its own, with a
 * `node_modules` symlink to the repository's so `@escf/*`, `zod` and
 * wrangler resolve. (Inside node_modules esbuild would ignore its tsconfig.)
 */
export function copyFixture(name: string): FixtureCopy {
  const dir = mkdtempSync(join(tmpdir(), `escf-cli-${name}-`));
  cpSync(join(cliDir, 'test', 'fixtures', name), dir, { recursive: true });
  symlinkSync(repoNodeModules, join(dir, 'node_modules'), 'dir');
  const path = (relative: string) => join(dir, relative);
  const read = (relative: string) => readFileSync(path(relative), 'utf8');
  const write = (relative: string, content: string) => writeFileSync(path(relative), content);
  return {
    dir,
    config: path('escf.config.ts'),
    path,
    read,
    write,
    edit(relative, search, replacement) {
      const text = read(relative);
      if (!text.includes(search)) throw new Error(`${relative} does not contain ${JSON.stringify(search)}`);
      write(relative, text.replace(search, replacement));
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
