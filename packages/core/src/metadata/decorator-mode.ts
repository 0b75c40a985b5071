import { DefinitionError } from '../errors/definition-error.js';

/**
 * ESCF's decorators are TypeScript's *experimental* decorators. A bundler
 * that did not read `experimentalDecorators: true` compiles them as standard
 * (TC39) decorators, which pass a context object where a member name or
 * nothing is expected; without this check that ends in an unrelated
 * TypeError far from the cause.
 */
export function assertExperimentalDecorators(decorator: string, argument: unknown): void {
  if (typeof argument === 'object' && argument !== null && 'kind' in argument) {
    throw new DefinitionError(
      `${decorator} was applied as a standard (TC39) decorator. ESCF's decorators are TypeScript's experimental decorators: set "experimentalDecorators": true (and "useDefineForClassFields": false) in the tsconfig.json your bundler reads — wrangler, esbuild and vitest look for the nearest one.`,
    );
  }
}
