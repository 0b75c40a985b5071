import type { AdminCredentials, AdminRpc } from '@escf/cloudflare/admin';
import {
  ADMIN_METHODS,
  errorJson,
  liveTailResponse,
  parseTailCursor,
  replyResponse,
  sameSecret,
} from '@escf/cloudflare/admin';
import { log } from '@escf/core/internal';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { CONSOLE_ASSETS } from './assets.generated.js';
import { appShell, loginPage } from './console-pages.js';
import { issueSession, isValidSession, SESSION_COOKIE, sessionCookie } from './console-session.js';

/** Options of {@link consoleWorker}: binding names in the console worker's env. */
export interface ConsoleOptions {
  /** Shown in the title and the sidebar. */
  readonly system?: string;
  /** Service binding to the system's admin entrypoint (`EscfAdmin`); default `ESCF_ADMIN`. */
  readonly admin?: string;
  /** Secret holding the admin token the console uses (write-scoped to allow actions); default `ESCF_ADMIN_TOKEN`. */
  readonly adminToken?: string;
  /** Secret holding the console's sign-in password; default `ESCF_CONSOLE_PASSWORD`. Without it nobody can sign in. */
  readonly password?: string;
}

type Env = Record<string, unknown>;

const ASSET_TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

/** Security headers of every console response: no framing, no sniffing, scripts only from the console itself. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/**
 * The ESCF console's fetch handler: a sign-in page, then a single-page UI
 * (bundled, no CDN) whose API calls the system's admin entrypoint over a
 * service binding. The browser never sees the admin token: it signs in with
 * the console password and gets an HttpOnly, Secure, SameSite=Strict
 * session cookie; the console adds the admin token to each RPC call.
 *
 * @example
 * ```ts
 * // workers/console/src/index.ts (written by `escf generate` when escf.config.ts has `console: { … }`)
 * import { consoleWorker } from '@escf/console';
 * export default consoleWorker({ system: 'users' });
 * ```
 */
export function consoleWorker(options: ConsoleOptions = {}): { fetch(request: Request, env: Env): Promise<Response> } {
  const adminBinding = options.admin ?? 'ESCF_ADMIN';
  const tokenBinding = options.adminToken ?? 'ESCF_ADMIN_TOKEN';
  const passwordBinding = options.password ?? 'ESCF_CONSOLE_PASSWORD';
  const system = options.system ?? 'ESCF system';
  const passwordOf = (env: Env) => {
    const value = env[passwordBinding];
    return typeof value === 'string' && value.length > 0 ? value : null;
  };

  const app = new Hono<{ Bindings: Env }>();
  app.use('*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
      if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  });

  app.get('/assets/:file', (c) => {
    const file = c.req.param('file');
    const body = CONSOLE_ASSETS[file];
    if (body === undefined) return c.notFound();
    return c.body(body, 200, {
      'content-type': ASSET_TYPES[file.split('.').pop()!] ?? 'application/octet-stream',
      'cache-control': 'private, max-age=300',
    });
  });

  app.get('/login', (c) => c.html(loginPage(system, null, passwordOf(c.env) !== null)));
  app.post('/login', async (c) => {
    const password = passwordOf(c.env);
    if (password === null) return c.html(loginPage(system, null, false), 503);
    const form = await c.req.parseBody();
    const given = typeof form.password === 'string' ? form.password : '';
    if (!(await sameSecret(given, password))) {
      log({ level: 'warn', message: 'console sign-in refused', code: 'CONSOLE_SIGN_IN', outcome: 'refused' });
      return c.html(loginPage(system, 'Wrong password.', true), 401);
    }
    log({ level: 'info', message: 'console sign-in', code: 'CONSOLE_SIGN_IN', outcome: 'ok' });
    return new Response(null, {
      status: 303,
      headers: { location: './', 'set-cookie': sessionCookie(await issueSession(password)) },
    });
  });
  app.post(
    '/logout',
    () => new Response(null, { status: 303, headers: { location: 'login', 'set-cookie': sessionCookie(null) } }),
  );

  // Everything below needs a session.
  app.use('*', async (c, next) => {
    const password = passwordOf(c.env);
    if (password !== null && (await isValidSession(password, getCookie(c, SESSION_COOKIE)))) return next();
    if (c.req.path.startsWith('/api/')) return errorJson(401, 'UNAUTHORIZED', 'Sign in to the console first');
    return c.redirect('/login', 303);
  });

  app.get('/', (c) => c.html(appShell(system)));

  const adminOf = (env: Env): AdminRpc => {
    const admin = env[adminBinding] as AdminRpc | undefined;
    if (!admin) throw new Error(`The console worker has no service binding '${adminBinding}' to the admin entrypoint`);
    return admin;
  };
  const credentialsOf = (env: Env): AdminCredentials => ({
    token: typeof env[tokenBinding] === 'string' ? (env[tokenBinding] as string) : '',
    actor: 'console',
  });

  app.get('/api/tail/stream', (c) => {
    const admin = adminOf(c.env);
    const credentials = credentialsOf(c.env);
    const after = parseTailCursor(c.req.query('after') ?? c.req.header('last-event-id'));
    return liveTailResponse({
      read: async (position) => {
        const reply = await admin.tailEvents(credentials, position === undefined ? {} : { after: position });
        if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
        return reply.value;
      },
      ...(after === undefined ? {} : { after }),
      signal: c.req.raw.signal,
    });
  });

  app.post('/api/:method', async (c) => {
    // A custom header: a cross-site form or image cannot send it (CSRF), on top of SameSite=Strict.
    if (c.req.header('x-escf-console') !== '1') return errorJson(403, 'FORBIDDEN', 'Missing the x-escf-console header');
    const method = c.req.param('method');
    if (!(ADMIN_METHODS as readonly string[]).includes(method))
      return errorJson(404, 'NOT_FOUND', `No admin method '${method}'`);
    let params: unknown;
    try {
      const text = await c.req.text();
      params = text === '' ? undefined : JSON.parse(text);
    } catch {
      return errorJson(400, 'VALIDATION_FAILED', 'The request body is not valid JSON');
    }
    const admin = adminOf(c.env) as unknown as Record<
      string,
      (credentials: AdminCredentials, params: unknown) => Promise<Parameters<typeof replyResponse>[0]>
    >;
    return replyResponse(await admin[method]!(credentialsOf(c.env), params));
  });

  return { fetch: async (request, env) => app.fetch(request, env) };
}
