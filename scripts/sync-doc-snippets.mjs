// Rewrites every `<!-- snippet: path -->` and `<!-- snippet: path#region -->`
// TypeScript block in the README and docs/ with the current content of the
// file (or region) it names, so a formatter or an edit of a snippet file
// never leaves the documentation behind.
// The docs-snippets unit test checks the result.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownFiles, snippetSource, tsBlock } from './doc-snippets.mjs';

const root = join(import.meta.dirname, '..');

let changed = 0;
for (const file of markdownFiles(root)) {
  const text = readFileSync(join(root, file), 'utf8');
  const next = text.replace(tsBlock, (whole, marker, reference, lang) =>
    marker === undefined ? whole : `${marker}\`\`\`${lang}\n${snippetSource(root, reference)}\n\`\`\``,
  );
  if (next !== text) {
    writeFileSync(join(root, file), next);
    changed++;
    console.log(`updated ${file}`);
  }
}
console.log(`${changed} file(s) updated`);
