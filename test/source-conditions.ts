import { defaultClientConditions, defaultServerConditions, type Plugin } from 'vite';
import { SOURCE_CONDITION, useEscfSources } from '../scripts/source-conditions.mjs';

/**
 * A Vite plugin for every vitest project of this repository: `@escf/*`
 * resolve to their TypeScript sources (the `escf-source` export condition,
 * see scripts/source-conditions.mjs), in Node and in workerd alike, and
 * wrangler or the escf CLI started by a test do the same.
 */
export function escfSources(): Plugin {
  useEscfSources();
  return {
    name: 'escf-source-conditions',
    configEnvironment(name, config) {
      const current =
        config.resolve?.conditions ?? (name === 'client' ? defaultClientConditions : defaultServerConditions);
      config.resolve ??= {};
      config.resolve.conditions = [SOURCE_CONDITION, ...current.filter((c) => c !== SOURCE_CONDITION)];
    },
  };
}
