import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushTraces, setTraceFlush, setTracingEnabled, type WaitUntil } from '../../src/internal.js';

afterEach(() => {
  setTraceFlush(undefined);
  setTracingEnabled(false);
  vi.useRealTimers();
});

function invocation(): WaitUntil & { waited: Promise<unknown>[] } {
  const waited: Promise<unknown>[] = [];
  return { waited, waitUntil: (promise) => waited.push(promise) };
}

describe('flushTraces', () => {
  it('schedules one export for a stream of finished spans, not one timer per span, and the next one after it ran', async () => {
    vi.useFakeTimers();
    const exports: number[] = [];
    setTraceFlush(async () => {
      exports.push(Date.now());
    });
    setTracingEnabled(true);
    const first = invocation();
    flushTraces(first); // exports now: nothing was exported in this isolate yet
    await Promise.all(first.waited);
    expect(exports).toHaveLength(1);

    // 100 spans ending within the next second in one invocation context (a Durable Object's state, a
    // request that runs many commands): one waiting export between them; another context waits on its own.
    const busy = invocation();
    for (let i = 0; i < 100; i++) flushTraces(busy);
    const other = invocation();
    flushTraces(other);
    expect([busy.waited.length, other.waited.length]).toEqual([1, 1]);
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all([...busy.waited, ...other.waited]);
    expect(exports).toHaveLength(3); // each context's timer flushed (a flush with nothing buffered sends nothing)

    // That export ran: a span finished later in the same context schedules the next one.
    flushTraces(busy);
    expect(busy.waited).toHaveLength(2);
  });

  it('schedules again when a scheduled export never ran (its invocation was cut off)', async () => {
    vi.useFakeTimers();
    setTraceFlush(async () => {});
    setTracingEnabled(true);
    flushTraces(invocation());
    await vi.runAllTimersAsync(); // an export ran just now
    const cutOff = invocation();
    flushTraces(cutOff); // waits for the interval
    flushTraces(cutOff);
    expect(cutOff.waited).toHaveLength(1);
    vi.setSystemTime(Date.now() + 10_000); // its timer never fired
    flushTraces(cutOff);
    expect(cutOff.waited).toHaveLength(2);
  });

  it('does nothing when tracing is off', () => {
    setTraceFlush(async () => {});
    const each = invocation();
    flushTraces(each);
    expect(each.waited).toHaveLength(0);
  });
});
