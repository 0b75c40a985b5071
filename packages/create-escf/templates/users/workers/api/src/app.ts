import { CommandApi } from '@escf/hono';
import { Hono } from 'hono';
import type { ApiEnv } from './api-env.js';
import { sessionRoutes } from './session-routes.js';
import { userRoutes } from './user-routes.js';

/**
 * The users API (seed 000): REST routes over the User aggregate, queries to
 * the users projection and sessions from the SessionService, all documented
 * at `/openapi.json`. The generated entry (escf.generated.ts) re-exports it
 * next to the aggregate's Durable Object class.
 */
const app = new Hono<ApiEnv>();
const api = new CommandApi(app);
userRoutes(api);
sessionRoutes(api);
api.serveOpenApi('/openapi.json', { title: 'ESCF users example', version: '1.0.0' });

export default app;
