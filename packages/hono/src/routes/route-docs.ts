import type { Hono } from 'hono';
import type { RouteDoc } from '../openapi-document.js';

/** What a route helper knows about its handler, apart from the method and path Hono records. */
export type HandlerDoc = Omit<RouteDoc, 'method' | 'path'>;

// Keyed by handler function: Hono's `app.routes` lists the method, the full path
// (after `app.route('/prefix', sub)` too) and the handler, so the document follows the app as mounted.
const docs = new WeakMap<object, HandlerDoc>();

/** Marks a handler as an ESCF route for the OpenAPI document. */
export function documentHandler<T extends object>(handler: T, doc: HandlerDoc): T {
  docs.set(handler, doc);
  return handler;
}

/** Hono keeps the original handler here when it wraps a sub-app's handler in the sub-app's `onError`. */
const COMPOSED_HANDLER = '__COMPOSED_HANDLER';

/** Every documented route of an app, with the path as the app serves it. */
export function documentedRoutes(app: Hono<any, any, any>): RouteDoc[] {
  const found: RouteDoc[] = [];
  for (const route of app.routes) {
    const handler = route.handler as unknown as Record<string, unknown>;
    const doc = docs.get(handler) ?? docs.get((handler[COMPOSED_HANDLER] ?? {}) as object);
    if (doc) found.push({ ...doc, method: route.method.toLowerCase(), path: route.path });
  }
  return found;
}
