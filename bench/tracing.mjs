// Tracing overhead: commands/s through the whole HTTP path (CommandApi route →
// typed client → aggregate Durable Object → outbox into D1) with tracing on and
// exporting every span as OTLP/HTTP to a receiver in this process, divided by the
// same with tracing off — two workers in local workerd, short rounds interleaved
// in ABBA order (so load swings on a shared machine hit both alike), the median
// of the per-pair ratios. Merges tracing_* figures into bench/results.json.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useEscfSources } from '../scripts/source-conditions.mjs';
import { mergeResults } from './results.mjs';

useEscfSources();
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_SEND_METRICS ??= 'false';
const here = dirname(fileURLToPath(import.meta.url));
const { unstable_startWorker } = await import('wrangler');

const ROUNDS = 16;
const COMMANDS = 150;

/** The OTLP receiver: counts the spans it is sent (JSON), answers 200 like a collector. */
async function startReceiver() {
  let spans = 0;
  let requests = 0;
  const server = createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8').on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      requests++;
      for (const resource of JSON.parse(text).resourceSpans ?? [])
        for (const scope of resource.scopeSpans ?? []) spans += scope.spans?.length ?? 0;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  // Longer than any pause between exports: Node's default (5 s) races workerd's pooled connection, and a
  // reset export is dropped (its spans would be missing from the count).
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/v1/traces`,
    counts: () => ({ spans, requests }),
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function startBenchWorker(persist, bindings) {
  const worker = await unstable_startWorker({
    config: join(here, 'tracing-worker/wrangler.jsonc'),
    bindings,
    dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, logLevel: 'none', persist, watch: false },
  });
  await worker.ready;
  return worker;
}

const receiver = await startReceiver();
const persistOn = mkdtempSync(join(tmpdir(), 'escf-tracing-on-'));
const persistOff = mkdtempSync(join(tmpdir(), 'escf-tracing-off-'));
const on = await startBenchWorker(persistOn, { ESCF_OTLP_ENDPOINT: { type: 'plain_text', value: receiver.url } });
const off = await startBenchWorker(persistOff, {});
try {
  const rate = async (worker, expectTracing) => {
    const response = await worker.fetch(`http://bench/run?n=${COMMANDS}`);
    if (!response.ok) throw new Error(`tracing bench: ${response.status} ${await response.text()}`);
    const { commands, ms, tracing } = await response.json();
    if (tracing !== expectTracing)
      throw new Error(`tracing bench: worker has tracing ${tracing}, expected ${expectTracing}`);
    return (commands / ms) * 1000;
  };
  // Warm up both (JIT, objects, D1 schema).
  await rate(on, true);
  await rate(off, false);
  const onRates = [];
  const offRates = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      offRates.push(await rate(off, false));
      onRates.push(await rate(on, true));
    } else {
      onRates.push(await rate(on, true));
      offRates.push(await rate(off, false));
    }
  }
  // The last exports and alarm drains: wait until the receiver got nothing new for 2 s (at most 20 s).
  for (let quiet = 0, last = -1, waited = 0; quiet < 4 && waited < 40; waited++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { spans } = receiver.counts();
    quiet = spans === last ? quiet + 1 : 0;
    last = spans;
  }
  const { spans, requests } = receiver.counts();
  if (spans === 0) throw new Error('tracing bench: the receiver got no spans; tracing did not export');
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const figures = {
    tracing_commands_per_s_off: Math.round(median(offRates)),
    tracing_commands_per_s_on: Math.round(median(onRates)),
    tracing_overhead_ratio: Math.round(median(onRates.map((value, i) => value / offRates[i])) * 1000) / 1000,
    tracing_spans_per_command: Math.round((spans / ((ROUNDS + 1) * COMMANDS)) * 100) / 100,
  };
  mergeResults(figures);
  console.log('\nTracing overhead (local workerd, spans exported as OTLP/HTTP JSON to a local receiver)');
  console.table({ ...figures, otlp_export_requests: requests });
} finally {
  await on.dispose();
  await off.dispose();
  await receiver.stop();
  rmSync(persistOn, { recursive: true, force: true });
  rmSync(persistOff, { recursive: true, force: true });
}
