import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { markdownFiles, snippetSource, tsBlock } from '../../scripts/doc-snippets.mjs';

/**
 * Documentation code is compiled code: every ```ts block in the README and
 * docs/ is preceded by `<!-- snippet: path -->` (the whole file) or
 * `<!-- snippet: path#region -->` (the lines between `// #region region` and
 * `// #endregion` in it) and must equal that code, which `npm run typecheck`
 * compiles (and tests may run). There are no uncompiled TypeScript blocks.
 */
const root = join(import.meta.dirname, '..', '..');

describe.each(markdownFiles(root))('%s', (file) => {
  const text = readFileSync(join(root, file), 'utf8');
  const blocks = [...text.matchAll(tsBlock)];

  it('marks every TypeScript block as a compiled snippet', () => {
    const uncompiled = blocks.filter((m) => m[1] === undefined).map((m) => m[4]!.split('\n')[0]);
    expect(uncompiled, `\`\`\`ts blocks in ${file} without <!-- snippet: path[#region] -->`).toEqual([]);
  });

  it.each(blocks.filter((m) => m[2] !== undefined).map((m) => [m[2]!, m[4]!] as const))(
    'shows %s exactly as compiled',
    (reference, shown) => {
      expect(shown.trim()).toBe(snippetSource(root, reference));
    },
  );
});

describe('snippet references', () => {
  const dir = mkdtempSync(join(tmpdir(), 'escf-snippets-'));
  const file = join(dir, 'example.ts');
  writeFileSync(
    file,
    [
      "import { a } from './a.js';",
      '// #region use',
      'const tracer = a();',
      '// #endregion',
      'export function handler() {',
      '  // #region use',
      '  tracer.start();',
      '  // #region inner',
      '  tracer.end();',
      '  // #endregion inner',
      '  // #endregion use',
      '}',
    ].join('\n'),
  );

  it('shows the parts of a region in order, dedented, without marker lines', () => {
    expect(snippetSource(dir, 'example.ts#use')).toBe('const tracer = a();\ntracer.start();\ntracer.end();');
    expect(snippetSource(dir, 'example.ts#inner')).toBe('tracer.end();');
  });

  it('shows a whole file without marker lines', () => {
    expect(snippetSource(dir, 'example.ts')).not.toMatch(/#(end)?region/);
  });

  it('refuses a region the file does not have', () => {
    expect(() => snippetSource(dir, 'example.ts#missing')).toThrow(/no \/\/ #region missing/);
  });

  it('finds an uncompiled block (the check itself works)', () => {
    const markdown = '<!-- fragment -->\n```ts\nconst x = 1;\n```\n<!-- snippet: a.ts#b -->\n```ts\ny\n```\n';
    expect([...markdown.matchAll(tsBlock)].map((m) => m[2])).toEqual([undefined, 'a.ts#b']);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));
});
