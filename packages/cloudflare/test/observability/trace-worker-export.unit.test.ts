import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { flushTraces } from '@escf/core/internal';
import { trace } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { traceWorker } from '../../src/observability/trace-worker.js';

// An export the span processor starts by itself runs outside any waitUntil, and workerd may cancel it with the
// invocation (a batch of spans lost). Every export must come from flushTraces, which runs inside waitUntil.
describe('traceWorker exports', () => {
  const received = { requests: 0, spans: 0 };
  const receiver = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.requests++;
      for (const resource of JSON.parse(body).resourceSpans ?? [])
        for (const scope of resource.scopeSpans ?? []) received.spans += scope.spans?.length ?? 0;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('sends nothing on its own, however many spans finish, and everything when flushed inside waitUntil', async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as AddressInfo;
    const env = { ESCF_OTLP_ENDPOINT: `http://127.0.0.1:${port}/v1/traces` };
    expect(traceWorker({ service: 'export-test', AsyncLocalStorage, env })).toBe(true);

    const tracer = trace.getTracer('export-test');
    for (let i = 0; i < 1500; i++) tracer.startSpan(`span ${i}`).end();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).toEqual({ requests: 0, spans: 0 });

    const waitedOn: Promise<unknown>[] = [];
    flushTraces({ waitUntil: (promise) => waitedOn.push(promise) });
    await Promise.all(waitedOn);
    expect(received.spans).toBe(1500);
  });
});
