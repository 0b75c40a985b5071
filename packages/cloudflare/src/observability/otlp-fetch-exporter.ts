import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/** Where and how spans are sent: resolved per export, from the worker's env (secrets live there). */
export interface OtlpDestination {
  /** The OTLP/HTTP traces endpoint, e.g. `https://api.honeycomb.io/v1/traces`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Exports spans as OTLP/HTTP JSON with `fetch` (OpenTelemetry's own
 * serializer; the Node exporters need `http`, which Workers do not have).
 * A failed export drops that batch: tracing never fails the traced work.
 */
export class OtlpFetchExporter implements SpanExporter {
  private pending = new Set<Promise<unknown>>();

  constructor(private readonly destination: () => OtlpDestination | undefined) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const destination = this.destination();
    const body = destination ? JsonTraceSerializer.serializeRequest(spans) : undefined;
    if (!destination || !body) {
      resultCallback({ code: ExportResultCode.SUCCESS });
      return;
    }
    const sent = fetch(destination.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...destination.headers },
      body,
    })
      .then(async (response) => {
        await response.body?.cancel();
        resultCallback(
          response.ok
            ? { code: ExportResultCode.SUCCESS }
            : { code: ExportResultCode.FAILED, error: new Error(`OTLP export answered ${response.status}`) },
        );
      })
      .catch((error: unknown) =>
        resultCallback({
          code: ExportResultCode.FAILED,
          error: error instanceof Error ? error : new Error(String(error)),
        }),
      )
      .finally(() => this.pending.delete(sent));
    this.pending.add(sent);
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.pending);
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
  }
}

/**
 * Parses OTLP headers written as `OTEL_EXPORTER_OTLP_HEADERS` does:
 * `key=value,key2=value2`, values URL-encoded. Invalid entries are skipped.
 */
export function parseOtlpHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of (text ?? '').split(',')) {
    const at = entry.indexOf('=');
    if (at <= 0) continue;
    const key = entry.slice(0, at).trim();
    try {
      headers[key] = decodeURIComponent(entry.slice(at + 1).trim());
    } catch {
      // A malformed escape: skip this header rather than fail every export.
    }
  }
  return headers;
}
