import { CommandApi } from '@escf/hono';
import { Hono } from 'hono';
import type { ApiEnv } from './api-env.js';
import { authenticate } from './authentication.js';
import { sessionRoutes } from './session-routes.js';
import { userRoutes } from './user-routes.js';

/**
 * The users API (seed 000): REST routes over the User aggregate, queries to
 * the users projection and sessions from the SessionService, all documented
 * at `/openapi.json`. Callers authenticate with `Authorization: Bearer
 * <session token>`; the User's commands declare who may run them. The
 * generated entry (escf.generated.ts) re-exports this module next to the
 * aggregate's Durable Object class.
 */
const app = new Hono<ApiEnv>();
const api = new CommandApi(app, { authenticate });
userRoutes(api);
sessionRoutes(api);
api.serveOpenApi('/openapi.json', { title: 'ESCF users example', version: '1.0.0' });

// The Durable Objects that hold each email address's claim (User.unique).
export { UniqueValueClaims } from '@escf/cloudflare';
export default app;
