import {
  type Attributes,
  type Context,
  context,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { sleep } from '../platform/web-globals.js';

/**
 * W3C trace context as it travels with a command over RPC and is stored in
 * each event's metadata (`metadata.traceparent`, `metadata.tracestate`).
 */
export interface TraceCarrier {
  readonly traceparent: string;
  readonly tracestate?: string;
}

/** Stable attribute names of ESCF's spans (OpenTelemetry semantic conventions are used as they are). */
export const EscfAttribute = {
  aggregateType: 'escf.aggregate.type',
  aggregateId: 'escf.aggregate.id',
  command: 'escf.command',
  version: 'escf.version',
  eventTypes: 'escf.event.types',
  projection: 'escf.projection',
  process: 'escf.process',
  tenant: 'escf.tenant',
  batchSize: 'escf.batch.size',
  lagMs: 'escf.lag_ms',
  errorCode: 'escf.error.code',
  attempt: 'escf.attempt',
  target: 'escf.target',
  saga: 'escf.saga',
  sagaInstance: 'escf.saga.instance',
  sagaStep: 'escf.saga.step',
} as const;

/** What a span of ESCF's starts with. */
export interface SpanOptions {
  readonly attributes?: Attributes;
  /** The parent: a carrier from RPC or event metadata, or a context; the active context when absent. */
  readonly parent?: TraceCarrier | Context | null;
  readonly links?: readonly Link[];
  readonly kind?: SpanKind;
  /** Export the invocation's finished spans once this span ends (the outermost span of a Worker/DO invocation). */
  readonly flush?: WaitUntil;
}

/** Where background work of an invocation goes (`ExecutionContext`, `DurableObjectState`). */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

// One flag, set by the exporter setup (`@escf/cloudflare/tracing`): off, every helper
// here is a boolean check and a direct call — no span objects, no context switches.
let enabled = false;

/** Turns ESCF's spans on or off (called by the SDK setup, never by application code). */
export function setTracingEnabled(on: boolean): void {
  enabled = on;
}

/** Whether ESCF records spans in this isolate. */
export function tracingEnabled(): boolean {
  return enabled;
}

const tracer = () => trace.getTracer('escf');

/**
 * Runs `fn` inside a span named `name`, made the active span so that spans
 * users start inside nest under it. A thrown error sets status ERROR, adds
 * an exception event and `escf.error.code` (the ESCF code, when it has one),
 * and is rethrown unchanged. Off: calls `fn(undefined)`.
 */
export function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span | undefined) => Promise<T>): Promise<T> {
  if (!enabled) return fn(undefined);
  const parent = parentContext(options.parent);
  return tracer().startActiveSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      ...(options.attributes ? { attributes: options.attributes } : {}),
      ...(options.links && options.links.length > 0 ? { links: [...options.links] } : {}),
    },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        recordError(span, error);
        throw error;
      } finally {
        span.end();
        if (options.flush) flushTraces(options.flush);
      }
    },
  );
}

/** Marks `span` failed with `error`: status ERROR, an exception event, and `escf.error.code` (`INTERNAL` for non-ESCF errors). */
export function recordError(span: Span | undefined, error: unknown): void {
  if (!span) return;
  // As across RPC (serializeError): anything that is not an ESCF error is INTERNAL.
  const code = errorCodeOf(error) ?? 'INTERNAL';
  span.setAttribute(EscfAttribute.errorCode, code);
  span.recordException(
    error instanceof Error ? { name: error.name, message: error.message, code } : { message: String(error), code },
  );
  span.setStatus({ code: SpanStatusCode.ERROR, message: code });
}

/** The active span's context as a carrier (to send over RPC or store), or undefined when off or outside a span. */
export function currentTraceCarrier(): TraceCarrier | undefined {
  if (!enabled) return undefined;
  const carrier: { traceparent?: string; tracestate?: string } = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent === undefined ? undefined : (carrier as TraceCarrier);
}

/**
 * Event metadata with the active trace context added (`traceparent`,
 * `tracestate`), so that whoever handles the event later continues the
 * trace. Off: `metadata` itself, unchanged.
 */
export function withTraceMetadata<M extends Readonly<Record<string, unknown>> | undefined>(
  metadata: M,
): M | Readonly<Record<string, unknown>> {
  if (!enabled) return metadata;
  const carrier = currentTraceCarrier();
  return carrier ? { ...metadata, ...carrier } : metadata;
}

/** The trace context stored in an event's (or any record's) metadata, if it has one. */
export function carrierOf(metadata: unknown): TraceCarrier | undefined {
  const traceparent = (metadata as { traceparent?: unknown } | null | undefined)?.traceparent;
  if (typeof traceparent !== 'string') return undefined;
  const tracestate = (metadata as { tracestate?: unknown }).tracestate;
  return typeof tracestate === 'string' ? { traceparent, tracestate } : { traceparent };
}

/**
 * Parent and links of a span that handles many events at once: when every
 * event belongs to one trace, the span continues it (parent = the first
 * event's context); events from other traces become span links, so a batch
 * never merges unrelated traces but stays reachable from each of them.
 */
export function batchSpanOptions(metadataOfEach: readonly unknown[]): Pick<SpanOptions, 'parent' | 'links'> {
  if (!enabled) return {};
  const contexts = new Map<string, ReturnType<typeof trace.getSpanContext>>();
  for (const metadata of metadataOfEach) {
    const carrier = carrierOf(metadata);
    if (!carrier) continue;
    const spanContext = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, carrier));
    if (spanContext) contexts.set(`${spanContext.traceId}-${spanContext.spanId}`, spanContext);
  }
  const all = [...contexts.values()].filter((c) => c !== undefined);
  if (all.length === 0) return {};
  const first = all[0]!;
  const oneTrace = all.every((c) => c.traceId === first.traceId);
  const links = (oneTrace ? all.slice(1) : all).map((c) => ({ context: c }));
  return { parent: oneTrace ? trace.setSpanContext(ROOT_CONTEXT, first) : ROOT_CONTEXT, links };
}

function parentContext(parent: SpanOptions['parent']): Context {
  if (parent === undefined) return context.active();
  if (parent === null) return ROOT_CONTEXT;
  if (typeof (parent as Context).getValue === 'function') return parent as Context;
  return propagation.extract(ROOT_CONTEXT, parent as TraceCarrier);
}

function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

export { SpanKind };

let flush: (() => Promise<void>) | undefined;
let lastExport = 0;
/**
 * When the export each invocation context (`ExecutionContext`, `DurableObjectState`) scheduled
 * starts. While it waits, further spans finished in that context need no timer of their own.
 */
let scheduled = new WeakMap<WaitUntil, number>();
/** A scheduled export that has not started this long after its time belonged to an invocation that was cut off. */
const LOST_EXPORT_MS = 5_000;

/** At most one export per isolate and interval: under load, many invocations share one request to the backend. */
const EXPORT_INTERVAL_MS = 1_000;

/** Registers how finished spans are exported (the SDK setup does); `undefined` removes it. */
export function setTraceFlush(fn: (() => Promise<void>) | undefined): void {
  flush = fn;
  scheduled = new WeakMap();
}

/**
 * Exports the spans finished so far in the background of the current
 * invocation (`waitUntil`), so that a Worker or Durable Object that goes
 * idle has sent its spans: now if the last export is an interval old, else
 * when the interval is over. While the export an invocation context
 * scheduled waits, further calls from that context do nothing, so a stream
 * of commands in one context costs one timer a second, not one per span.
 * Off: does nothing.
 */
export function flushTraces(waitUntil: WaitUntil | undefined): void {
  if (!enabled || !flush || !waitUntil) return;
  const now = Date.now();
  const pending = scheduled.get(waitUntil);
  if (pending !== undefined && now < pending + LOST_EXPORT_MS) return;
  const wait = lastExport + EXPORT_INTERVAL_MS - now;
  if (wait <= 0) {
    waitUntil.waitUntil(exportNow());
    return;
  }
  scheduled.set(waitUntil, now + wait);
  // Promises of other invocations are never awaited here (workerd forbids sharing them): each context waits on its own timer.
  waitUntil.waitUntil(
    sleep(wait).then(() => {
      scheduled.delete(waitUntil);
      // Always export: spans this context finished after another context's export are still waiting
      // (an export with nothing buffered sends no request).
      return exportNow();
    }),
  );
}

function exportNow(): Promise<void> {
  lastExport = Date.now();
  return flush ? flush().catch(() => {}) : Promise.resolve();
}
