/**
 * @escf/hono — ESCF over HTTP with Hono: JSON error responses with stable
 * codes, safe bodies, If-Match / Idempotency-Key / ETag, and an OpenAPI
 * document built from your command definitions. Runs anywhere Hono runs.
 *
 * The JSON Schemas the OpenAPI document is made of are at `@escf/hono/json-schema`.
 *
 * @packageDocumentation
 */

export { bearerToken } from './bearer-token.js';
export { CommandApi, type CommandApiOptions, type CommandRoute } from './command-api.js';
export { commandOptions, etagOf } from './command-headers.js';
export { type ErrorBody, type EscfErrorsOptions, errorResponse, escfErrors } from './error-response.js';
export { httpStatusOf } from './error-status.js';
export { HttpInputError, type HttpInputErrorCode } from './http-input-error.js';
export { type OpenApiInfo, openApiDocument, type RouteDoc } from './openapi-document.js';
export { DEFAULT_MAX_BODY_BYTES, type ReadJsonOptions, readJson } from './read-json.js';
