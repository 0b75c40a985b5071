/**
 * @escf/cloudflare/tracing — OpenTelemetry traces of an ESCF system,
 * exported as OTLP/HTTP from Workers. Off unless a worker calls
 * {@link traceWorker} (`escf generate` writes the call when escf.config.ts
 * has a `tracing` option) and its env has `ESCF_OTLP_ENDPOINT`.
 *
 * @packageDocumentation
 */

export type { AsyncLocalStorageClass, AsyncLocalStorageLike } from './async-local-context-manager.js';
export { type TraceWorkerOptions, traceWorker } from './trace-worker.js';
