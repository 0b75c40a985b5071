// `npm run dev`: applies the D1 migrations to the local databases, then runs
// every worker of the example in one `wrangler dev` process (service
// bindings, RPC and queues work between them). State lives in .wrangler/state.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const persist = ['--persist-to', '.wrangler/state'];
// The API first: wrangler serves the first config on the port.
const workers = ['api', 'users', 'sessions', 'email'];
const databases = [
  ['ESCF_EVENTS', 'api'],
  ['USERS_DB', 'users'],
  ['SESSIONS_DB', 'sessions'],
  ['SEND_EMAIL_VERIFICATION_DB', 'email'],
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

// The ESCF console's local secrets (.dev.vars, git-ignored): random on first run, kept after.
const consolePort = process.env.CONSOLE_PORT ?? String(Number(port) + 1);
const consoleVars = `${root}/workers/console/.dev.vars`;
if (!existsSync(consoleVars)) {
  const secret = () => randomBytes(18).toString('base64url');
  const [read, write, password] = [secret(), secret(), secret()];
  writeFileSync(`${root}/workers/api/.dev.vars`, `ESCF_ADMIN_READ_TOKEN=${read}\nESCF_ADMIN_WRITE_TOKEN=${write}\n`);
  writeFileSync(consoleVars, `ESCF_ADMIN_TOKEN=${write}\nESCF_CONSOLE_PASSWORD=${password}\n`);
}

const args = ['dev', ...workers.flatMap((w) => ['-c', `workers/${w}/wrangler.jsonc`]), ...persist, '--port', port, ...(process.env.INSPECTOR_PORT ? ['--inspector-port', process.env.INSPECTOR_PORT] : [])];
console.log(`Starting ${workers.map((w) => `users-${w}`).join(', ')}; the API will listen on http://localhost:${port}`);
const wrangler = spawn('wrangler', args, { cwd: root, env, stdio: 'inherit' });
// The console runs as its own dev session (its own port); its service binding reaches the API's admin entrypoint through wrangler's dev registry.
console.log(`The ESCF console will listen on http://localhost:${consolePort} (password: ESCF_CONSOLE_PASSWORD in workers/console/.dev.vars)`);
const consoleDev = spawn('wrangler', ['dev', '-c', 'workers/console/wrangler.jsonc', '--port', consolePort, '--inspector-port', process.env.CONSOLE_INSPECTOR_PORT ?? String(Number(consolePort) + 1000)], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    wrangler.kill(signal);
    consoleDev.kill(signal);
  });
}
// Stopped by a signal (Ctrl-C, or its pid killed): a normal end, not a failure.
wrangler.on('exit', (code, signal) => {
  consoleDev.kill('SIGTERM');
  process.exit(signal || code === 130 || code === 143 ? 0 : (code ?? 0));
});
