/**
 * `Symbol.metadata`, where the runtime lacks it (Node 22, workerd today).
 * TypeScript compiles standard (TC39) decorators so that `context.metadata`
 * exists only when `Symbol.metadata` does; ESCF's decorators record method
 * metadata there. `Symbol.for('Symbol.metadata')` is the symbol esbuild's
 * decorator helpers fall back to, so both compilers agree on it.
 * Listed in `sideEffects` of package.json: it must run before decorated
 * classes are defined, which importing any decorator guarantees.
 */
const symbols = Symbol as unknown as { metadata?: symbol };
symbols.metadata ??= Symbol.for('Symbol.metadata');

/** The key of a class's decorator metadata object (`Class[Symbol.metadata]`). */
export const SYMBOL_METADATA: symbol = symbols.metadata;
