import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One exported span, flattened from OTLP/HTTP JSON for assertions. */
export interface CollectedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly kind: number;
  /** Attribute values decoded (strings, numbers, booleans, arrays). */
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly links: readonly { traceId: string; spanId: string }[];
  /** 0 unset, 1 ok, 2 error. */
  readonly status: number;
  /** Names of the span's events (`exception`). */
  readonly events: readonly string[];
}

/**
 * A local OTLP/HTTP traces endpoint (JSON) collecting what the workers of a
 * test system export: give its `url` to the workers as `ESCF_OTLP_ENDPOINT`
 * (`startSystem(dir, { workers: { api: { bindings: { ESCF_OTLP_ENDPOINT: receiver.url } } } })`).
 */
export interface OtlpReceiver {
  /** The endpoint to give the workers: `http://127.0.0.1:<port>/v1/traces`. */
  readonly url: string;
  readonly spans: readonly CollectedSpan[];
  /** Resolves with `select(spans)` once `done` holds for it; rejects after `timeoutMs`. */
  waitFor(
    select: (spans: readonly CollectedSpan[]) => CollectedSpan[],
    done: (selected: CollectedSpan[]) => boolean,
    timeoutMs?: number,
  ): Promise<CollectedSpan[]>;
  stop(): Promise<void>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpValue[] };
}

function decode(value: OtlpValue | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(decode);
  return undefined;
}

const attributesOf = (list: { key: string; value: OtlpValue }[] | undefined) =>
  Object.fromEntries((list ?? []).map(({ key, value }) => [key, decode(value)]));

/** Starts an {@link OtlpReceiver} on an ephemeral port of 127.0.0.1 (Node only). */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: CollectedSpan[] = [];
  const wakers = new Set<() => void>();
  const server = createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      try {
        const body = JSON.parse(text) as { resourceSpans?: any[] };
        for (const resourceSpans of body.resourceSpans ?? []) {
          const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name']);
          for (const scope of resourceSpans.scopeSpans ?? []) {
            for (const span of scope.spans ?? []) {
              spans.push({
                service,
                traceId: span.traceId,
                spanId: span.spanId,
                parentSpanId: span.parentSpanId || undefined,
                name: span.name,
                kind: span.kind,
                attributes: attributesOf(span.attributes),
                links: (span.links ?? []).map((l: { traceId: string; spanId: string }) => ({
                  traceId: l.traceId,
                  spanId: l.spanId,
                })),
                status: span.status?.code ?? 0,
                events: (span.events ?? []).map((e: { name: string }) => e.name),
              });
            }
          }
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch {
        response.writeHead(400).end();
      }
      for (const wake of wakers) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    spans,
    waitFor(select, done, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const selected = select(spans);
          if (!done(selected)) return;
          wakers.delete(check);
          clearTimeout(timer);
          resolve(selected);
        };
        const timer = setTimeout(() => {
          wakers.delete(check);
          reject(
            new Error(
              `OTLP receiver: condition not met within ${timeoutMs} ms; got ${select(spans)
                .map((s) => s.name)
                .join(', ')} (all: ${spans.map((s) => s.name).join(', ')})`,
            ),
          );
        }, timeoutMs);
        wakers.add(check);
        check();
      });
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
