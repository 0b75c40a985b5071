import { flushTraces, inSpan, recordError, SpanKind, tracingEnabled } from '@escf/core/internal';
import type { Context, Env, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';

/**
 * Middleware: each request runs in an HTTP server span (`POST /users`,
 * OpenTelemetry HTTP semantic conventions) that continues the caller's W3C
 * trace (`traceparent`/`tracestate` headers, including its sampling
 * decision) or starts one; the commands the request sends carry it on.
 * Off (no tracing set up in the worker): one check, then `next()`.
 */
export function traceRequests<E extends Env>(): MiddlewareHandler<E> {
  return async (c, next) => {
    if (!tracingEnabled()) return next();
    const traceparent = c.req.header('traceparent');
    const tracestate = c.req.header('tracestate');
    const route = routePath(c, -1);
    await inSpan(
      `${c.req.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        parent: traceparent === undefined ? null : { traceparent, ...(tracestate === undefined ? {} : { tracestate }) },
        attributes: { 'http.request.method': c.req.method, 'http.route': route, 'url.path': c.req.path },
      },
      async (span) => {
        await next();
        span?.setAttribute('http.response.status_code', c.res.status);
        // A 4xx is the caller's error, not the server's (HTTP conventions): only its code is noted.
        if (c.error && c.res.status >= 500) recordError(span, c.error);
        else if (c.error) span?.setAttribute('escf.error.code', String((c.error as { code?: unknown }).code ?? ''));
      },
    );
    flushTraces(executionContextOf(c));
  };
}

/** Hono's `c.executionCtx` throws outside Workers (e.g. `app.request()` in a test). */
function executionContextOf(c: Context): { waitUntil(promise: Promise<unknown>): void } | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}
