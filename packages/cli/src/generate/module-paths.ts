import { dirname, relative, sep } from 'node:path';

/**
 * The specifier to import `target` (a .ts file) from a module at `fromFile`:
 * relative, with `/` separators and the `.js` extension TypeScript's
 * bundler resolution and esbuild both map back to `.ts`.
 */
export function importSpecifier(fromFile: string, target: string): string {
  let path = relative(dirname(fromFile), target).split(sep).join('/');
  path = path.replace(/\.(m?)tsx?$/, '.$1js');
  return path.startsWith('.') ? path : `./${path}`;
}

/** A path relative to `base` with `/` separators, for messages and headers. */
export function displayPath(base: string, target: string): string {
  return relative(base, target).split(sep).join('/') || '.';
}
