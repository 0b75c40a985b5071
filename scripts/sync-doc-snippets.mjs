// Rewrites every `<!-- snippet: path -->` TypeScript block in the README and
// docs/ with the current content of the file it names, so a formatter or an
// edit of a snippet file never leaves the documentation behind.
// The docs-snippets unit test checks the result.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const files = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const block = /(<!--\s*snippet:\s*(\S+)\s*-->\s*\n)```(ts|typescript)\n([\s\S]*?)```/g;

let changed = 0;
for (const file of files) {
  const text = readFileSync(join(root, file), 'utf8');
  const next = text.replace(block, (_whole, marker, path, lang) => {
    const source = readFileSync(join(root, path), 'utf8').trim();
    return `${marker}\`\`\`${lang}\n${source}\n\`\`\``;
  });
  if (next !== text) {
    writeFileSync(join(root, file), next);
    changed++;
    console.log(`updated ${file}`);
  }
}
console.log(`${changed} file(s) updated`);
