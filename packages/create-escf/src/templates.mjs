// @ts-check
import { fileURLToPath } from 'node:url';

/** The templates `create-escf --template <name>` offers. */
export const TEMPLATES = /** @type {const} */ ([
  { value: 'minimal', hint: 'a Task aggregate, a tasks projection with typed queries, an HTTP API (2 workers)' },
  { value: 'users', hint: 'users and sessions with email verification, like the seed system (4 workers)' },
]);

/** @param {string} name */
export function templateDir(name) {
  return fileURLToPath(new URL(`../templates/${name}`, import.meta.url));
}
