// The JSON Schema of a command input lives in @escf/core (the console's admin entrypoint needs it too).
export { inputJsonSchema } from '@escf/core/internal';
