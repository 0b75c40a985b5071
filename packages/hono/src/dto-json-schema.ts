// Moved to @escf/core with inputJsonSchema; re-exported for existing imports.
export { dtoJsonSchema } from '@escf/core/internal';
