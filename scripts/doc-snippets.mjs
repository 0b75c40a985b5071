// What a documentation code block shows: `<!-- snippet: path -->` is the
// whole file, `<!-- snippet: path#name -->` the lines between
// `// #region name` and `// #endregion` in it (a region may come in several
// parts, shown in order). Region marker lines never show. Shared by
// scripts/sync-doc-snippets.mjs (which writes the blocks) and the
// docs-snippets unit test (which checks them).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A TypeScript block with its optional marker: groups 1 marker, 2 reference, 3 language, 4 code. */
export const tsBlock = /(<!--\s*snippet:\s*(\S+)\s*-->\s*\n)?```(ts|typescript)\n([\s\S]*?)```/g;

/** The Markdown files whose blocks are compiled snippets: the README and docs/*.md. */
export function markdownFiles(root) {
  return [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
}

const marker = /^\s*\/\/\s*#(region|endregion)\b\s*(\S*)/;

/** The code `reference` (`path` or `path#region`, relative to `root`) stands for. Throws on a missing region. */
export function snippetSource(root, reference) {
  const [path, region] = reference.split('#');
  const lines = readFileSync(join(root, path), 'utf8').split('\n');
  if (!region)
    return lines
      .filter((line) => !marker.test(line))
      .join('\n')
      .trim();
  const parts = [];
  let open = 0; // nesting depth inside the wanted region; 0 = outside
  let part = [];
  for (const line of lines) {
    const found = marker.exec(line);
    if (found?.[1] === 'region' && open === 0 && found[2] === region) {
      open = 1;
      part = [];
    } else if (found?.[1] === 'region' && open > 0) open++;
    else if (found?.[1] === 'endregion' && open > 0) {
      open--;
      if (open === 0) parts.push(dedent(part));
    } else if (open > 0 && !found) part.push(line);
  }
  if (open > 0) throw new Error(`${path}: region '${region}' has no // #endregion`);
  if (parts.length === 0) throw new Error(`${path}: no // #region ${region}`);
  return parts.join('\n').trim();
}

/** Lines without the indentation they all share. */
function dedent(lines) {
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)[0].length);
  const common = indents.length === 0 ? 0 : Math.min(...indents);
  return lines.map((line) => line.slice(common)).join('\n');
}
