import { httpStatusOfCode } from './error-status.js';

/** Title and version of the API, as OpenAPI's `info`. */
export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
}

/** What the document knows about one route. */
export interface RouteDoc {
  readonly method: string;
  readonly path: string;
  readonly summary: string;
  readonly status: number;
  readonly aggregateType?: string;
  readonly command?: string;
  readonly input?: Record<string, unknown>;
  /** JSON Schema of a successful response body (documented routes). */
  readonly response?: Record<string, unknown>;
  /** JSON Schema of the query string (an object schema: one parameter per property). */
  readonly query?: Record<string, unknown>;
  /** Error codes the route may answer; each is documented under its status. */
  readonly errors?: readonly string[];
}

const errorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable, machine-readable error code.' },
        message: { type: 'string' },
        details: { type: 'object', description: 'For VALIDATION_FAILED: `issues`, one per field.' },
      },
    },
  },
};

const commandResultBody = {
  type: 'object',
  required: ['id', 'version'],
  properties: {
    id: { type: 'string', description: 'The aggregate id.' },
    version: { type: 'integer', description: 'The aggregate version after the command; also the ETag.' },
    events: { type: 'array', items: { type: 'string' }, description: 'Types of the events the command appended.' },
  },
};

const errorResponses: Record<string, string> = {
  '400': 'Invalid input (VALIDATION_FAILED with per-field issues, MALFORMED_JSON, FORBIDDEN_KEY, INVALID_HEADER)',
  '401': 'Not authenticated (UNAUTHORIZED)',
  '404': 'Unknown aggregate (NOT_FOUND)',
  '409': 'Conflicts with the current state or the If-Match version (CONFLICT, CONCURRENCY_CONFLICT, …)',
  '413': 'Body too large (PAYLOAD_TOO_LARGE)',
  '415': 'Body is not JSON (UNSUPPORTED_MEDIA_TYPE)',
  '422': 'Refused by a business rule (the aggregate’s own codes)',
};

/** Builds an OpenAPI 3.1 document from recorded routes. */
export function openApiDocument(info: OpenApiInfo, routes: readonly RouteDoc[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    // `:id`, `:id{[0-9]+}` (a pattern) and `:id?` (optional) are all `{id}` in OpenAPI.
    const path = route.path.replace(/:(\w+)(?:\{[^}]*\})?\??/g, '{$1}');
    const parameters: Record<string, unknown>[] = [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    parameters.push(...queryParameters(route.query));
    const isCommand = route.command !== undefined;
    const operation: Record<string, unknown> = {
      operationId: isCommand ? `${route.aggregateType}.${route.command}` : `${route.method}${path}`,
      summary: route.summary,
      ...(parameters.length ? { parameters } : {}),
      responses: {
        [String(route.status)]: {
          description: 'Success',
          ...(isCommand
            ? { headers: { ETag: { schema: { type: 'string' }, description: 'The new version, for If-Match.' } } }
            : {}),
          content: {
            'application/json': { schema: route.response ?? (isCommand ? commandResultBody : { type: 'object' }) },
          },
        },
        ...(route.errors
          ? declaredErrorResponses(route.errors, route.query !== undefined || route.input !== undefined)
          : Object.fromEntries(
              Object.entries(errorResponses)
                .filter(([status]) => isCommand || ['400', '404'].includes(status))
                .map(([status, description]) => [
                  status,
                  { description, content: { 'application/json': { schema: errorBody } } },
                ]),
            )),
      },
    };
    if (!isCommand && route.input !== undefined) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: route.input } } };
    }
    if (isCommand) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: route.input ?? { type: 'object' } } },
      };
      operation.parameters = [
        ...parameters,
        {
          name: 'If-Match',
          in: 'header',
          required: false,
          schema: { type: 'string' },
          description: 'Expected version (an ETag); 409 if it differs.',
        },
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          schema: { type: 'string' },
          description: 'Retries with the same key return the first result.',
        },
      ];
    }
    (paths[path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return { openapi: '3.1.0', info, paths };
}

/** One `in: query` parameter per property of the query string's object schema. */
function queryParameters(schema: Record<string, unknown> | undefined): Record<string, unknown>[] {
  const properties = (schema?.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((schema?.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

/** The error responses of a route that declared its codes: one entry per status, naming its codes. */
function declaredErrorResponses(codes: readonly string[], validates: boolean): Record<string, unknown> {
  const byStatus = new Map<number, Set<string>>();
  for (const code of validates ? ['VALIDATION_FAILED', ...codes] : codes) {
    const status = httpStatusOfCode(code);
    if (!byStatus.has(status)) byStatus.set(status, new Set());
    byStatus.get(status)!.add(code);
  }
  return Object.fromEntries(
    [...byStatus]
      .sort(([a], [b]) => a - b)
      .map(([status, names]) => [
        String(status),
        { description: [...names].join(', '), content: { 'application/json': { schema: errorBody } } },
      ]),
  );
}
