// bench/results.json is one flat object of named figures; each benchmark
// merges its own keys into it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const resultsPath = join(dirname(fileURLToPath(import.meta.url)), 'results.json');

export function mergeResults(figures) {
  const current = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')) : {};
  const merged = { ...current, ...figures };
  writeFileSync(resultsPath, `${JSON.stringify(Object.fromEntries(Object.entries(merged).sort()), null, 2)}\n`);
  return merged;
}
