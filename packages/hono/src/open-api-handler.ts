import type { Context, Hono } from 'hono';
import { type OpenApiInfo, openApiDocument } from './openapi-document.js';
import { documentedRoutes } from './routes/route-docs.js';

/**
 * A handler that serves the OpenAPI 3.1 document of every ESCF route of
 * `app` — command routes and queries declared with `resource`/`routes` —
 * with the paths as the app serves them (also under `app.route('/v1', …)`).
 * Built on each request, so routes added later are included.
 *
 * @example
 * ```ts
 * app.get('/openapi.json', openApiHandler(app, { title: 'Users', version: '1.0.0' }));
 * ```
 */
export function openApiHandler(app: Hono<any, any, any>, info: OpenApiInfo): (c: Context) => Response {
  return (c) => c.json(openApiDocument(info, documentedRoutes(app)));
}
