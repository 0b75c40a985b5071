import type { TailPage } from './admin-types.js';

/** Options of {@link liveTailResponse}. */
export interface LiveTailOptions {
  /** Reads events after a position (omit `after` to learn the head). */
  readonly read: (after: number | undefined) => Promise<TailPage>;
  /** Start after this position; default: the log's head (only new events). */
  readonly after?: number;
  /** How often the log is polled, in ms (default 250). */
  readonly intervalMs?: number;
  /** Close the stream after this long, in ms (default 60 s; the browser's EventSource reconnects with Last-Event-ID). */
  readonly maxDurationMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * A server-sent-events response that streams events as they are committed
 * to the log: it polls the log's position and sends each new event as one
 * `event` message whose id is its global position (so a reconnecting
 * `EventSource` resumes after the last one it saw).
 */
export function liveTailResponse(options: LiveTailOptions): Response {
  const interval = options.intervalMs ?? 250;
  const deadline = Date.now() + (options.maxDurationMs ?? 60_000);
  const encoder = new TextEncoder();
  let closed = false;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => controller.enqueue(encoder.encode(text));
      options.signal?.addEventListener('abort', () => (closed = true));
      try {
        let after = options.after ?? (await options.read(undefined)).head;
        send(`retry: 1000\nevent: ready\ndata: ${JSON.stringify({ head: after })}\n\n`);
        while (!closed && Date.now() < deadline) {
          const page = await options.read(after);
          for (const event of page.events) {
            send(`id: ${event.position}\nevent: event\ndata: ${JSON.stringify(event)}\n\n`);
            after = Math.max(after, event.position ?? after);
          }
          if (page.events.length === 0) {
            send(': keep-alive\n\n');
            await new Promise((resolve) => setTimeout(resolve, interval));
          }
        }
      } catch (error) {
        if (!closed)
          send(
            `event: error\ndata: ${JSON.stringify({ message: error instanceof Error ? error.message : String(error) })}\n\n`,
          );
      }
      if (!closed) controller.close();
    },
    cancel() {
      closed = true;
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' },
  });
}
