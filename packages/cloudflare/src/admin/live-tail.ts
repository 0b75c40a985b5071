import type { TailPage } from './admin-types.js';

/** Where a live tail stands: a position, or one position per shard of a sharded log. */
export type TailCursor = number | readonly number[];

/**
 * Reads a tail cursor from a query parameter or `Last-Event-ID`: a position
 * (`42`), or one position per shard joined by dots (`42.17`); else undefined.
 */
export function parseTailCursor(text: string | null | undefined): TailCursor | undefined {
  if (text === null || text === undefined || !/^\d{1,15}(\.\d{1,15}){0,63}$/.test(text)) return undefined;
  const positions = text.split('.').map(Number);
  return positions.length === 1 ? positions[0]! : positions;
}

/** Options of {@link liveTailResponse}. */
export interface LiveTailOptions {
  /** Reads events after a cursor (omit `after` to learn the head). */
  readonly read: (after: TailCursor | undefined) => Promise<TailPage>;
  /** Start after this cursor; default: the log's head (only new events). */
  readonly after?: TailCursor;
  /** How often the log is polled, in ms (default 250). */
  readonly intervalMs?: number;
  /** Close the stream after this long, in ms (default 60 s; the browser's EventSource reconnects with Last-Event-ID). */
  readonly maxDurationMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * A server-sent-events response that streams events as they are committed
 * to the log: it polls the log's position and sends each new event as one
 * `event` message whose id is its position (so a reconnecting
 * `EventSource` resumes after the last one it saw). A sharded log is
 * tailed with one position per shard; the id then joins them with dots.
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
        let after: TailCursor =
          options.after ??
          (await options.read(undefined).then((page) => (page.shardHeads ? [...page.shardHeads] : page.head)));
        send(`retry: 1000\nevent: ready\ndata: ${JSON.stringify({ head: after })}\n\n`);
        while (!closed && Date.now() < deadline) {
          const page = await options.read(after);
          for (const event of page.events) {
            after = advance(after, event.shard ?? 0, event.position);
            send(
              `id: ${typeof after === 'number' ? after : after.join('.')}\nevent: event\ndata: ${JSON.stringify(event)}\n\n`,
            );
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

/** The cursor after an event of `shard` at `position`. */
function advance(cursor: TailCursor, shard: number, position: number | null): TailCursor {
  if (position === null) return cursor;
  if (typeof cursor === 'number') return Math.max(cursor, position);
  return cursor.map((at, index) => (index === shard ? Math.max(at, position) : at));
}
