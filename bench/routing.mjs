// Queue messages per command in the bank example, with the routes `escf
// generate` writes (each subscriber gets only the event types it handles)
// and without them (every event to every subscriber): the bank's Account in
// local workerd, one account's life (6 commands) per run, counted by the
// consumers themselves. Merges queue_messages_* into bench/results.json.
import { mkdtempSync, rmSync } from 'node:fs';
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

const RUNS = 5;
const persist = mkdtempSync(join(tmpdir(), 'escf-routing-'));
const worker = await unstable_startWorker({
  config: join(here, 'routing-worker/wrangler.jsonc'),
  dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, logLevel: 'none', persist, watch: false },
});
const get = async (path) => {
  const response = await worker.fetch(`http://bench${path}`);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
};
const sum = (counts, prefix) =>
  Object.entries(counts)
    .filter(([target]) => target.startsWith(prefix))
    .reduce((total, [, n]) => total + n, 0);

try {
  await worker.ready;
  const totals = {
    routed: { commands: 0, events: 0, queue: 0, service: 0 },
    unrouted: { commands: 0, events: 0, queue: 0, service: 0 },
  };
  for (let run = 0; run < RUNS; run++) {
    for (const mode of ['unrouted', 'routed']) {
      const { id, commands, events } = await get(`/run?mode=${mode}&run=${run}`);
      // executeSync returned once the queues accepted the messages; wait until the consumers saw them all.
      let counts = {};
      for (let stable = 0, last = -1, tries = 0; stable < 3 && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        counts = await get(`/counts?id=${encodeURIComponent(id)}`);
        const seen = sum(counts, 'queue:');
        stable = seen === last ? stable + 1 : 0;
        last = seen;
      }
      const total = totals[mode];
      total.commands += commands;
      total.events += events;
      total.queue += sum(counts, 'queue:');
      total.service += sum(counts, 'service:');
    }
  }
  const round = (n) => Math.round(n * 100) / 100;
  const figures = {
    queue_messages_per_command_bank: round(totals.routed.queue / totals.routed.commands),
    queue_messages_per_command_bank_unrouted: round(totals.unrouted.queue / totals.unrouted.commands),
    queue_messages_per_event_bank: round(totals.routed.queue / totals.routed.events),
    queue_messages_per_event_bank_unrouted: round(totals.unrouted.queue / totals.unrouted.events),
    queue_messages_ratio_bank_routed_over_unrouted: round(totals.routed.queue / totals.unrouted.queue),
    sync_deliveries_per_event_bank: round(totals.routed.service / totals.routed.events),
  };
  mergeResults(figures);
  console.table(figures);
} finally {
  await worker.dispose();
  rmSync(persist, { recursive: true, force: true });
}
