import { AsyncLocalStorage } from 'node:async_hooks';
import { Conflict } from '@escf/core';
import {
  batchSpanOptions,
  currentTraceCarrier,
  inSpan,
  setTracingEnabled,
  withTraceMetadata,
} from '@escf/core/internal';
import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsyncLocalContextManager } from '../../src/observability/async-local-context-manager.js';
import { parseOtlpHeaders } from '../../src/observability/otlp-fetch-exporter.js';

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
/** The spans finished so far (the processor hands them over asynchronously). */
const finished = async () => {
  await provider.forceFlush();
  return exporter.getFinishedSpans();
};

describe('tracing off (the default)', () => {
  it('runs the work directly: no span, metadata unchanged (same object), no carrier', async () => {
    const metadata = { a: 1 };
    expect(await inSpan('x', {}, async (span) => span)).toBeUndefined();
    expect(withTraceMetadata(metadata)).toBe(metadata);
    expect(currentTraceCarrier()).toBeUndefined();
    expect(batchSpanOptions([{ traceparent: `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01` }])).toEqual({});
  });
});

describe('tracing on', () => {
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalContextManager(AsyncLocalStorage));
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    setTracingEnabled(true);
  });
  afterAll(() => setTracingEnabled(false));

  it('nests spans started inside across await, and stores the active context in event metadata', async () => {
    const stored = await inSpan('outer', {}, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return inSpan('inner', {}, async () => withTraceMetadata({ correlationId: 'c' }));
    });
    const [inner, outer] = (await finished()).slice(-2);
    expect(inner!.parentSpanContext?.spanId).toBe(outer!.spanContext().spanId);
    expect(stored).toMatchObject({
      correlationId: 'c',
      traceparent: `00-${inner!.spanContext().traceId}-${inner!.spanContext().spanId}-01`,
    });
  });

  it('records a thrown error with its ESCF code (status ERROR, exception event) and rethrows it', async () => {
    await expect(
      inSpan('fails', {}, async () => {
        throw new Conflict('taken');
      }),
    ).rejects.toThrow('taken');
    const span = (await finished()).at(-1)!;
    expect(span.status.code).toBe(2);
    expect(span.attributes['escf.error.code']).toBe('CONFLICT');
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('continues one trace of a batch as parent, and links events of other traces instead of merging them', () => {
    const a = `00-${'a'.repeat(32)}-${'1'.repeat(16)}-01`;
    const a2 = `00-${'a'.repeat(32)}-${'2'.repeat(16)}-01`;
    const b = `00-${'b'.repeat(32)}-${'3'.repeat(16)}-01`;
    const same = batchSpanOptions([{ traceparent: a }, { traceparent: a2 }, {}]);
    expect(trace.getSpanContext(same.parent as never)?.spanId).toBe('1'.repeat(16));
    expect(same.links?.map((l) => l.context.spanId)).toEqual(['2'.repeat(16)]);
    const mixed = batchSpanOptions([{ traceparent: a }, { traceparent: b }]);
    expect(trace.getSpanContext(mixed.parent as never)).toBeUndefined();
    expect(mixed.links?.map((l) => l.context.traceId)).toEqual(['a'.repeat(32), 'b'.repeat(32)]);
  });

  it('keeps the sampled flag of an incoming traceparent', async () => {
    const carrier = await inSpan(
      'child',
      { parent: { traceparent: `00-${'c'.repeat(32)}-${'4'.repeat(16)}-00` } },
      async () => currentTraceCarrier(),
    );
    expect(carrier?.traceparent).toMatch(new RegExp(`^00-${'c'.repeat(32)}-[0-9a-f]{16}-00$`));
  });
});

describe('OTLP headers', () => {
  it('reads OTEL_EXPORTER_OTLP_HEADERS syntax, URL-decoded, skipping broken entries', () => {
    expect(parseOtlpHeaders('x-honeycomb-team=abc%3D,broken,authorization=Basic%20eA==')).toEqual({
      'x-honeycomb-team': 'abc=',
      authorization: 'Basic eA==',
    });
    expect(parseOtlpHeaders(undefined)).toEqual({});
  });
});
