// Inside this repository `@escf/*` resolve to their TypeScript sources, so
// tests, examples and benchmarks need no build step. Each package's `exports`
// lists a custom `escf-source` condition before `types`/`default` (which point
// at the published dist/). tsc reads it from `customConditions` in
// tsconfig.base.json, vitest from test/source-conditions.ts; wrangler and the
// escf CLI bundle with esbuild and read it from these environment variables.
// Nothing outside this repository sets it, so installed packages load dist/.

/** The package export condition that points at a package's TypeScript sources. */
export const SOURCE_CONDITION = 'escf-source';

/** Makes wrangler and the escf CLI (and child processes started after this) resolve @escf/* to sources. */
export function useEscfSources() {
  process.env.WRANGLER_BUILD_CONDITIONS ??= `${SOURCE_CONDITION},workerd,worker,browser`;
  process.env.ESCF_BUILD_CONDITIONS ??= SOURCE_CONDITION;
}
