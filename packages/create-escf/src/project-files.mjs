// @ts-check
import { cpSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The system name every template uses; scaffolding replaces it with the project's. */
export const TEMPLATE_SYSTEM_NAME = 'escf-app';

/** npm drops `.gitignore` from published packages: templates carry it as `_gitignore`. */
const RENAMED = { _gitignore: '.gitignore' };

/**
 * Copies a template into `target` and names the project: the template's
 * system name (`escf-app`: worker, database and queue names derive from it)
 * becomes `systemName` in every text file, generated ones included, so the
 * project is consistent without running `escf generate`.
 *
 * @param {string} templateDir
 * @param {string} target
 * @param {string} systemName
 */
export function copyTemplate(templateDir, target, systemName) {
  cpSync(templateDir, target, {
    recursive: true,
    filter: (source) => !/[\\/](node_modules|\.wrangler)([\\/]|$)/.test(source.slice(templateDir.length)),
  });
  for (const [from, to] of Object.entries(RENAMED)) {
    try {
      renameSync(join(target, from), join(target, to));
    } catch {
      // not in this template
    }
  }
  for (const file of walk(target)) {
    const text = readFileSync(file, 'utf8');
    if (text.includes(TEMPLATE_SYSTEM_NAME)) writeFileSync(file, text.replaceAll(TEMPLATE_SYSTEM_NAME, systemName));
  }
}

/**
 * @param {string} dir
 * @returns {string[]}
 */
function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
