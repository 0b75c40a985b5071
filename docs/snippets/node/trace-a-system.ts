// #region traces
import { startOtlpReceiver, startSystem } from '@escf/testing/system';
// #endregion

// docs/testing.md: the spans a system with tracing on exports (Node only).
export async function traceOf(traceId: string) {
  // #region traces

  const receiver = await startOtlpReceiver();
  const traced = { bindings: { ESCF_OTLP_ENDPOINT: receiver.url } };
  const system = await startSystem('examples/users', { workers: { api: traced, users: traced } });
  // … send a request with a `traceparent` header, then:
  const spans = await receiver.waitFor(
    (all) => all.filter((span) => span.traceId === traceId),
    (trace) => trace.some((span) => span.name === 'escf.projection.apply users'),
  );
  // #endregion
  await system.stop();
  await receiver.stop();
  return spans;
}
