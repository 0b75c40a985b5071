/**
 * @escf/hono/json-schema — the JSON Schema of a command's input (Standard
 * Schema with a JSON Schema converter, or a class-validator DTO class), as
 * `openApiDocument` embeds it; for documents or validators of your own.
 *
 * @packageDocumentation
 */

export { dtoJsonSchema } from './dto-json-schema.js';
export { inputJsonSchema } from './input-json-schema.js';
