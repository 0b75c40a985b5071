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
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const parameters = [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
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
        ...Object.fromEntries(
          Object.entries(errorResponses)
            .filter(([status]) => isCommand || ['400', '404'].includes(status))
            .map(([status, description]) => [
              status,
              { description, content: { 'application/json': { schema: errorBody } } },
            ]),
        ),
      },
    };
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
