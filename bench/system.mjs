// System benchmark: the users example (API, two synchronous projections, the
// email process behind a queue — every worker, as examples/users/test/e2e
// starts them in one local workerd) driven over HTTP on 127.0.0.1 by many
// concurrent clients over many users for a fixed time (40 % sign-ups, 60 %
// PATCHes), then the same load against a hand-written Worker + Durable Object
// doing the minimum. Merges system_* figures into bench/results.json.
// Bounded: CLIENTS clients, SECONDS seconds per system, every request local.
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { mergeResults } from './results.mjs';

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_SEND_METRICS ??= 'false';

const CLIENTS = Number(process.env.SYSTEM_CLIENTS ?? 32);
const SECONDS = Number(process.env.SYSTEM_SECONDS ?? 20);
const MAX_REQUESTS = 20_000; // a hard stop, whatever the speed

const percentile = (values, p) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

/** Runs the 40/60 load against `base` for SECONDS; `onCreated` sees every sign-up with its answer time. */
async function drive(base, onCreated = () => {}) {
  if (base.hostname !== '127.0.0.1' && base.hostname !== 'localhost') throw new Error(`refusing to load ${base}`);
  const users = [];
  const latencies = [];
  let accepted = 0;
  let rejected = 0;
  let sent = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const client = async (c) => {
    for (let i = 0; Date.now() < deadline && sent < MAX_REQUESTS; i++) {
      sent++;
      const signUp = users.length < CLIENTS || Math.random() < 0.4;
      const started = Date.now();
      let response;
      if (signUp) {
        const email = `load-${c}-${i}-${started}@example.com`;
        response = await fetch(new URL('/users', base), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: `Load ${c}`, email, password: 'correct horse battery staple' }),
        });
        const body = await response.json().catch(() => null);
        if (response.ok && body?.id) {
          users.push(body.id);
          onCreated(email, Date.now());
        }
      } else {
        const id = users[Math.floor(Math.random() * users.length)];
        response = await fetch(new URL(`/users/${id}`, base), {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: `Renamed ${i}` }),
        });
        await response.arrayBuffer();
      }
      latencies.push(Date.now() - started);
      if (response.ok) accepted++;
      else rejected++;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  const seconds = (Date.now() - started) / 1000;
  return {
    perS: accepted / seconds,
    accepted,
    rejected,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** The hand-written baseline: one Durable Object per user, state in its SQLite, the same routes and password hashing. */
const RAW_WORKER = `
import { DurableObject } from 'cloudflare:workers';
export class RawUser extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS events (version INTEGER PRIMARY KEY, type TEXT, payload TEXT)');
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS state (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT, version INTEGER)');
  }
  run(type, payload) {
    return this.ctx.storage.transactionSync(() => {
      const row = this.ctx.storage.sql.exec('SELECT body, version FROM state').toArray()[0];
      const state = row ? JSON.parse(row.body) : {};
      const version = (row?.version ?? 0) + 1;
      Object.assign(state, payload);
      this.ctx.storage.sql.exec('INSERT INTO events (version, type, payload) VALUES (?, ?, ?)', version, type, JSON.stringify(payload));
      this.ctx.storage.sql.exec('INSERT INTO state (id, body, version) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body, version = excluded.version', JSON.stringify(state), version);
      return { version };
    });
  }
}
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const body = await request.json();
    if (request.method === 'POST' && url.pathname === '/users') {
      const id = crypto.randomUUID();
      // The same password hashing as the example (PBKDF2-SHA-256, 100,000 iterations): application work, not framework work.
      const salt = crypto.getRandomValues(new Uint8Array(16));
      const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(body.password), 'PBKDF2', false, ['deriveBits']);
      const hash = new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 100000 }, key, 256));
      await env.USERS.get(env.USERS.idFromName(id)).run('UserCreated', { name: body.name, email: body.email, passwordHash: [...hash].join(',') });
      return Response.json({ id }, { status: 201 });
    }
    const id = url.pathname.split('/')[2];
    const result = await env.USERS.get(env.USERS.idFromName(id)).run('UserRenamed', { name: body.name });
    return Response.json(result);
  },
};`;

const figures = {};
{
  const raw = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: RAW_WORKER,
      compatibilityDate: '2026-11-01',
      durableObjects: { USERS: { className: 'RawUser', useSQLite: true } },
      host: '127.0.0.1',
      port: 0,
    }),
  );
  try {
    const base = await raw.ready;
    const rawRun = await drive(base);
    figures.system_raw_commands_per_s = Math.round(rawRun.perS);
    figures.system_raw_latency_ms_p99 = rawRun.p99;
  } finally {
    await raw.dispose();
  }
}
{
  const { startUsersSystem } = await import('../examples/users/test/e2e/users-system.ts');
  const system = await startUsersSystem();
  try {
    const base = new URL(system.url);
    // The email process logs the token it sends; the lag is log time minus the sign-up's answer.
    const answered = new Map();
    const run = await drive(base, (email, at) => answered.set(email, at));
    await new Promise((resolve) => setTimeout(resolve, 5_000)); // let the queue drain (bounded)
    const processLags = [];
    system.logs.forEach((line, index) => {
      const match = line.match(/Sending email verification to (\S+):/);
      const at = match ? answered.get(match[1]) : undefined;
      if (at !== undefined) processLags.push(Math.max(0, system.logTimes[index] - at));
    });
    figures.system_commands_per_s = Math.round(run.perS);
    figures.system_latency_ms_p50 = run.p50;
    figures.system_latency_ms_p99 = run.p99;
    figures.system_rejected = run.rejected;
    figures.system_process_lag_ms_p99 = percentile(processLags, 99);
    figures.system_process_lag_samples = processLags.length;
  } finally {
    await system.stop();
  }
}
figures.system_ratio_vs_raw =
  Math.round((figures.system_commands_per_s / figures.system_raw_commands_per_s) * 1000) / 1000;
mergeResults(figures);
console.log(`\nUsers system vs hand-written Worker + DO (local workerd; ${CLIENTS} clients, ${SECONDS} s each)`);
console.table(figures);
