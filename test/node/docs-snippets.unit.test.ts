import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Documentation code is compiled code: every ```ts block in the README and
 * docs/ is preceded by `<!-- snippet: path -->` and must equal that file,
 * which `npm run typecheck` compiles (and tests may run). A block that is
 * deliberately partial says so with `<!-- fragment -->`.
 */
const root = join(import.meta.dirname, '..', '..');
const markdownFiles = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const block = /(<!--\s*(snippet:\s*(\S+)|fragment)\s*-->\s*\n)?```(ts|typescript)\n([\s\S]*?)```/g;

describe.each(markdownFiles)('%s', (file) => {
  const text = readFileSync(join(root, file), 'utf8');
  const blocks = [...text.matchAll(block)];

  it('marks every TypeScript block as a compiled snippet or a fragment', () => {
    const unmarked = blocks.filter((m) => m[1] === undefined).map((m) => m[5]!.split('\n')[0]);
    expect(unmarked, `unmarked \`\`\`ts blocks in ${file}`).toEqual([]);
  });

  it.each(blocks.filter((m) => m[3] !== undefined).map((m) => [m[3]!, m[5]!] as const))(
    'shows %s exactly as compiled',
    (path, shown) => {
      expect(shown.trim()).toBe(readFileSync(join(root, path), 'utf8').trim());
    },
  );
});
