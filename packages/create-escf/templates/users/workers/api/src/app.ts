import { escfErrors, escfMiddleware, escfNotFound, openApiHandler } from '@escf/hono';
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
 * whole API answers in ESCF's JSON errors (opted in with `escfErrors` and
 * `escfNotFound`). The generated entry (escf.generated.ts) re-exports this
 * module next to the aggregate's Durable Object class.
 */
const app = new Hono<ApiEnv>();
app.use(escfMiddleware({ authenticate }));
app.onError(escfErrors());
app.notFound(escfNotFound());
userRoutes(app);
sessionRoutes(app);
app.get('/openapi.json', openApiHandler(app, { title: 'ESCF users example', version: '1.0.0' }));

// The Durable Objects that hold each email address's claim (User.unique).
export { UniqueValueClaims } from '@escf/cloudflare';
export default app;
