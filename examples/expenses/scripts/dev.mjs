// `npm run dev`: applies the D1 migrations to the local databases, then runs
// every worker of the example in one `wrangler dev` process (service
// bindings, RPC and queues work between them). State lives in .wrangler/state.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const persist = ['--persist-to', '.wrangler/state'];
// The API first: wrangler serves the first config on the port.
const workers = ['api', 'extract', 'expenses'];
const databases = [
  ['ESCF_EVENTS', 'api'],
  ['EXTRACT_EXPENSE_DB', 'extract'],
  ['EXPENSES_DB', 'expenses'],
];
// Offline-friendly: no Request.cf download, no telemetry.
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' };
const port = process.env.PORT ?? '8787';

for (const [binding, worker] of databases) {
  // stdin ignored: wrangler then applies without asking.
  const { status } = spawnSync('wrangler', ['d1', 'migrations', 'apply', binding, '--local', '-c', `workers/${worker}/wrangler.jsonc`, ...persist], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (status !== 0) process.exit(status ?? 1);
  console.log(`Migrated local D1 ${binding} (${worker})`);
}

const args = ['dev', ...workers.flatMap((w) => ['-c', `workers/${w}/wrangler.jsonc`]), ...persist, '--port', port, ...(process.env.INSPECTOR_PORT ? ['--inspector-port', process.env.INSPECTOR_PORT] : [])];
console.log(`Starting ${workers.map((w) => `expenses-${w}`).join(', ')}; the API will listen on http://localhost:${port}`);
const wrangler = spawn('wrangler', args, { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => wrangler.kill(signal));
// Stopped by a signal (Ctrl-C, or its pid killed): a normal end, not a failure.
wrangler.on('exit', (code, signal) => process.exit(signal || code === 130 || code === 143 ? 0 : (code ?? 0)));
