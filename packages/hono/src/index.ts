/**
 * @escf/hono — ESCF over HTTP with Hono: command routes and typed queries
 * declared like a controller (`resource`, `routes`), JSON error responses
 * with stable codes, safe bodies, If-Match / Idempotency-Key / ETag, and an
 * OpenAPI document built from your command definitions and query schemas.
 * Runs anywhere Hono runs.
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
export { type EscfMiddlewareOptions, escfMiddleware } from './escf-middleware.js';
export { escfNotFound } from './escf-not-found.js';
export { HttpInputError, type HttpInputErrorCode } from './http-input-error.js';
export { openApiHandler } from './open-api-handler.js';
export { type OpenApiInfo, openApiDocument, type RouteDoc } from './openapi-document.js';
export { DEFAULT_MAX_BODY_BYTES, type ReadJsonOptions, readJson } from './read-json.js';
export { type Authenticate, principalOf } from './request-principal.js';
export type { QueryRequest } from './routes/query-handler.js';
export {
  type CommandRouteArgs,
  type CommandRouteId,
  type CommandRouteIdParam,
  type CommandRouteOptions,
  Resource,
  type ResourceOptions,
  resource,
} from './routes/resource.js';
export type { CommandMethod, PathParamName, PathParams, RouteMethod, Validated } from './routes/route-types.js';
export { type QueryRoute, Routes, type RoutesOptions, routes } from './routes/routes.js';
