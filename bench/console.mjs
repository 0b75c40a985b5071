// ESCF console benchmark (users example + console in local workerd, headless
// Chromium): the first view's weight (KB the browser received for the signed-in
// system map page, and the same gzip-compressed, as Cloudflare's edge would
// send it) and the time from sending a command to its event appearing in the
// live tail (p50/p99). Merges its figures into bench/results.json.
import { gzipSync } from 'node:zlib';
import { mergeResults } from './results.mjs';

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_SEND_METRICS ??= 'false';
const { startUsersSystem } = await import('../examples/users/test/e2e/users-system.ts');
const { launchChromium } = await import('../examples/users/test/e2e/chromium.ts');

const SAMPLES = 40;
const secrets = {
  password: 'bench-password',
  adminReadToken: 'bench-read-token-00000',
  adminWriteToken: 'bench-write-token-00000',
};
const system = await startUsersSystem({ console: secrets });
const browser = await launchChromium();
const base = `http://localhost:${system.consoleUrl.port}/`;
const wait = { timeout: 60_000 };
const round = (value, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

try {
  const page = await browser.context.newPage();
  await page.goto(base);
  await page.fill('#password', secrets.password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=diagram] svg', wait);

  // First view: a fresh load of the signed-in console (no cache), everything it fetches.
  const first = await browser.context.newPage();
  await first.route('**/*', (route) =>
    route.continue({ headers: { ...route.request().headers(), 'cache-control': 'no-cache' } }),
  );
  let bytes = 0;
  let gzipBytes = 0;
  first.on('requestfinished', async (request) => {
    const sizes = await request.sizes();
    bytes += sizes.responseHeadersSize + sizes.responseBodySize;
    const body = await (await request.response())?.body().catch(() => null);
    if (body) gzipBytes += sizes.responseHeadersSize + gzipSync(body).length;
  });
  await first.goto(base, { waitUntil: 'networkidle' });
  await first.waitForSelector('[data-testid=diagram] svg', wait);
  await first.close();

  // Live tail latency: command sent → its event rendered in the tail.
  await page.goto(`${base}#/tail`);
  await page.waitForFunction(() => document.querySelector('.page-head .badge')?.textContent === 'live', null, wait);
  const latencies = [];
  for (let i = 0; i < SAMPLES; i++) {
    const id = `bench-${Date.now()}-${i}`;
    const started = performance.now();
    const response = await page.request.post(`${base}api/sendCommand`, {
      headers: { 'x-escf-console': '1' },
      data: {
        aggregateType: 'User',
        aggregateId: id,
        command: 'create',
        input: { name: `Bench ${i}`, email: `${id}@example.com`, password: 'a long enough password' },
      },
    });
    if (!response.ok()) throw new Error(`sendCommand: ${response.status()}`);
    await page.waitForFunction(
      (needle) => document.querySelector('[data-testid=tail]')?.textContent?.includes(needle),
      `${id}@example.com`,
      wait,
    );
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];
  const figures = {
    console_first_view_kb: round(bytes / 1024, 1),
    console_first_view_kb_gzip: round(gzipBytes / 1024, 1),
    console_live_tail_ms_p50: round(pct(50)),
    console_live_tail_ms_p99: round(pct(99)),
  };
  mergeResults(figures);
  console.log('\nESCF console (users example, local workerd, headless Chromium)');
  console.table(figures);
} finally {
  await browser.close();
  await system.stop();
}
