import { setTraceFlush, setTracingEnabled } from '@escf/core/internal';
import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { AsyncLocalContextManager, type AsyncLocalStorageClass } from './async-local-context-manager.js';
import { OtlpFetchExporter, parseOtlpHeaders } from './otlp-fetch-exporter.js';

/** The env variable that holds the OTLP/HTTP traces endpoint; tracing is off without it. */
export const OTLP_ENDPOINT_VAR = 'ESCF_OTLP_ENDPOINT';
/** The env variable that holds the head sampling ratio (0…1) of new traces. */
export const TRACE_SAMPLE_RATIO_VAR = 'ESCF_TRACE_SAMPLE_RATIO';

/** Options of {@link traceWorker} (written by `escf generate` from the `tracing` option of escf.config.ts). */
export interface TraceWorkerOptions {
  /** `service.name` of this worker's spans, e.g. `users-api`. */
  readonly service: string;
  /** `AsyncLocalStorage` from `node:async_hooks` (compatibility flag `nodejs_als`): keeps the active span across `await`. */
  readonly AsyncLocalStorage: AsyncLocalStorageClass;
  /** The worker's env (`import { env } from 'cloudflare:workers'`): the endpoint, ratio and headers secret are read from it. */
  readonly env: object;
  /**
   * Name of the secret that holds the OTLP headers, `key=value,key2=value2`
   * (as `OTEL_EXPORTER_OTLP_HEADERS`), e.g. an API key. Never put secrets in
   * escf.config.ts or in the endpoint URL.
   */
  readonly headersSecret?: string;
}

/**
 * Turns ESCF's OpenTelemetry traces on in this worker, if its env has
 * `ESCF_OTLP_ENDPOINT`: spans of commands, outbox deliveries, projections and
 * processes (and every span your code starts with `@opentelemetry/api`)
 * are exported as OTLP/HTTP JSON at the end of each invocation. New traces
 * are sampled at `ESCF_TRACE_SAMPLE_RATIO` (default 1); a trace that comes
 * in with a `traceparent` keeps its caller's sampling decision. Returns
 * whether tracing is on. `escf generate` writes the call into each worker's
 * generated entry when escf.config.ts has a `tracing` option.
 *
 * @example
 * ```ts
 * import { AsyncLocalStorage } from 'node:async_hooks';
 * import { env } from 'cloudflare:workers';
 * traceWorker({ service: 'users-api', AsyncLocalStorage, env, headersSecret: 'OTLP_HEADERS' });
 * ```
 */
export function traceWorker(options: TraceWorkerOptions): boolean {
  const vars = options.env as Record<string, unknown>;
  const endpoint = vars[OTLP_ENDPOINT_VAR];
  if (typeof endpoint !== 'string' || endpoint === '') return false;
  const exporter = new OtlpFetchExporter(() => ({
    url: endpoint,
    headers: parseOtlpHeaders(
      options.headersSecret === undefined ? undefined : (vars[options.headersSecret] as string | undefined),
    ),
  }));
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.service }),
    sampler: samplerOf(vars[TRACE_SAMPLE_RATIO_VAR]),
    // Spans wait for the end of the invocation (forceFlush in waitUntil), not for a timer. The processor exports
    // by itself when a batch is full, outside any waitUntil, and workerd may cancel that export with the invocation:
    // a batch as large as the queue keeps every export inside flushTraces' waitUntil.
    spanProcessors: [
      new BatchSpanProcessor({ exporter, scheduledDelayMillis: 60_000, maxQueueSize: 4096, maxExportBatchSize: 4096 }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalContextManager(options.AsyncLocalStorage));
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  setTraceFlush(() => provider.forceFlush());
  setTracingEnabled(true);
  return true;
}

function samplerOf(ratio: unknown): Sampler {
  const parsed = typeof ratio === 'number' ? ratio : typeof ratio === 'string' ? Number(ratio) : 1;
  const root = new TraceIdRatioBasedSampler(Number.isFinite(parsed) ? Math.min(1, Math.max(0, parsed)) : 1);
  return new ParentBasedSampler({ root });
}
