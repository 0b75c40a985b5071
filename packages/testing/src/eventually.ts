/** Options of {@link eventually}. */
export interface EventuallyOptions {
  /** Give up after this many ms; default 20,000. */
  readonly timeoutMs?: number;
  /** Poll every this many ms; default 100. */
  readonly intervalMs?: number;
  /** What is awaited, for the timeout's message. */
  readonly what?: string;
}

/**
 * Polls `check` until it returns a truthy value and returns that value — for
 * what converges asynchronously: queue deliveries, outbox drains, projection
 * rebuilds. A `check` that throws is retried; on timeout the last error is in
 * the message.
 *
 * @example
 * ```ts
 * const row = await eventually(() => projectionClients<EscfProjections>(env).USERS.get(id), { what: 'the user in the read model' });
 * ```
 */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  options: EventuallyOptions = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
  throw new Error(`Timed out waiting for ${options.what ?? 'a condition'}${last ? `: ${String(last)}` : ''}`);
}
