// System benchmark: the users example (API, two synchronous projections, the
// email process behind a queue — every worker, as examples/users/test/e2e
// starts them in one local workerd) driven over HTTP on 127.0.0.1 by many
// concurrent clients for a fixed time (40 % sign-ups of new users, 60 %
// PATCHes of signed-in users with their own session), against a hand-written
// Worker + Durable Object doing the minimum with the same routes, the same
// password hashing and the same "only your own session" rule. Both run side
// by side and take turns (ROUNDS rounds, the order alternating), so a change
// in the machine's load hits both; the ratio is the median of the rounds'.
// Merges system_* figures into bench/results.json. Ports: Miniflare picks
// free ones (port 0), so parallel runs never collide.
import { createServer } from 'node:net';
import os from 'node:os';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { countD1Queries } from './d1-query-counter.mjs';
import { measureLocalCosts } from './local-costs.mjs';
import { mergeResults } from './results.mjs';
import { workerdChildren, workerdCpuSeconds } from './workerd-process.mjs';

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_SEND_METRICS ??= 'false';

const CLIENTS = Number(process.env.SYSTEM_CLIENTS ?? 32);
const SECONDS = Number(process.env.SYSTEM_SECONDS ?? 20);
/** Signed-in users the PATCHes go to (set up before the clock starts, on both systems). */
const SIGNED_IN = Number(process.env.SYSTEM_SIGNED_IN ?? CLIENTS);
/** How long after the load the email process may take before a sign-up's email counts as missing. */
const PROCESS_WAIT_MS = 30_000;
const MAX_REQUESTS = 20_000; // a hard stop, whatever the speed
const PASSWORD = 'correct horse battery staple';
/** Share of requests that are sign-ups (the rest PATCH a signed-in user). */
const SIGN_UPS = Number(process.env.SYSTEM_SIGN_UP_SHARE ?? 0.4);

/** Starts something that spawns one workerd; returns its result and that workerd's pid (or null). */
async function withWorkerdPid(start) {
  const before = workerdChildren();
  const started = await start();
  const pid = [...workerdChildren()].find((p) => !before.has(p)) ?? null;
  return { started, pid };
}

const percentile = (values, p) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

const send = async (base, method, path, body, token) => {
  const response = await fetch(new URL(path, base), {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { response, body: await response.json().catch(() => null) };
};

/** Runs `work` over `items`, `limit` at a time. */
async function inPool(items, limit, work) {
  const results = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index], index);
      }
    }),
  );
  return results;
}

/**
 * Runs the 40/60 load against `base` for SECONDS: sign-ups of new users, and
 * PATCHes of a random signed-in user with that user's own session (as the
 * example requires). `onCreated` sees every sign-up with its answer time.
 */
async function drive(base, signedIn, seconds, workerdPid, onCreated = () => {}) {
  if (base.hostname !== '127.0.0.1' && base.hostname !== 'localhost') throw new Error(`refusing to load ${base}`);
  const latencies = [];
  const rejections = new Map();
  let accepted = 0;
  let rejected = 0;
  let sent = 0;
  const deadline = Date.now() + seconds * 1000;
  const client = async (c) => {
    for (let i = 0; Date.now() < deadline && sent < MAX_REQUESTS; i++) {
      sent++;
      const started = Date.now();
      let outcome;
      if (Math.random() < SIGN_UPS) {
        const email = `load-${c}-${i}-${started}@example.com`;
        outcome = await send(base, 'POST', '/users', { name: `Load ${c}`, email, password: PASSWORD });
        if (outcome.response.ok && outcome.body?.id) onCreated(email, outcome.body.id, Date.now());
      } else {
        const user = signedIn[Math.floor(Math.random() * signedIn.length)];
        outcome = await send(base, 'PATCH', `/users/${user.id}`, { name: `Renamed ${c} ${i}` }, user.token);
      }
      latencies.push(Date.now() - started);
      if (outcome.response.ok) accepted++;
      else {
        rejected++;
        const code = outcome.body?.error?.code ?? String(outcome.response.status);
        rejections.set(code, (rejections.get(code) ?? 0) + 1);
      }
    }
  };
  const started = Date.now();
  const cpuBefore = workerdCpuSeconds(workerdPid);
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  const elapsed = (Date.now() - started) / 1000;
  const cpuAfter = workerdCpuSeconds(workerdPid);
  return {
    cpuSeconds: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
    seconds: elapsed,
    perS: accepted / elapsed,
    latencies,
    accepted,
    rejected,
    rejections: [...rejections].map(([code, n]) => `${code}:${n}`).join(' '),
  };
}

/**
 * The hand-written baseline: one Durable Object per user, state in its
 * SQLite, the same routes, the same password hashing, and the same rule that
 * only the user's own session may PATCH it (the session token's SHA-256
 * kept in the user's object, checked there).
 */
const RAW_WORKER = `
import { DurableObject } from 'cloudflare:workers';
export class RawUser extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS events (version INTEGER PRIMARY KEY, type TEXT, payload TEXT)');
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS state (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT, version INTEGER)');
  }
  run(type, payload, tokenHash) {
    return this.ctx.storage.transactionSync(() => {
      const row = this.ctx.storage.sql.exec('SELECT body, version FROM state').toArray()[0];
      const state = row ? JSON.parse(row.body) : {};
      if (tokenHash !== undefined && state.tokenHash !== tokenHash) return { status: 401 };
      const version = (row?.version ?? 0) + 1;
      Object.assign(state, payload);
      this.ctx.storage.sql.exec('INSERT INTO events (version, type, payload) VALUES (?, ?, ?)', version, type, JSON.stringify(payload));
      this.ctx.storage.sql.exec('INSERT INTO state (id, body, version) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body, version = excluded.version', JSON.stringify(state), version);
      return { status: 200, version };
    });
  }
}
const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
const sha256 = async (text) => hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const body = await request.json();
    if (request.method === 'POST' && url.pathname === '/users') {
      const id = crypto.randomUUID();
      // The same password hashing as the example (PBKDF2-SHA-256, 100,000 iterations): application work, not framework work.
      const salt = crypto.getRandomValues(new Uint8Array(16));
      const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(body.password), 'PBKDF2', false, ['deriveBits']);
      const hash = hex(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 100000 }, key, 256));
      // A session opened at sign-up (the example verifies the address and signs in first; the bench does that before timing).
      const token = crypto.randomUUID();
      await env.USERS.get(env.USERS.idFromName(id)).run('UserCreated', { name: body.name, email: body.email, passwordHash: hash, tokenHash: await sha256(token) });
      return Response.json({ id, token }, { status: 201 });
    }
    const id = url.pathname.split('/')[2];
    const token = (request.headers.get('authorization') ?? '').replace(/^Bearer /, '');
    const result = await env.USERS.get(env.USERS.idFromName(id)).run('UserRenamed', { name: body.name }, await sha256(token));
    return Response.json(result, { status: result.status });
  },
};`;

/** Users of the raw baseline with a session each. */
const rawSignedIn = (base) =>
  inPool(Array.from({ length: SIGNED_IN }), 8, async (_, n) => {
    const { body } = await send(base, 'POST', '/users', {
      name: `Setup ${n}`,
      email: `setup-${n}@example.com`,
      password: PASSWORD,
    });
    return { id: body.id, token: body.token };
  });

/** Users of the example, each signed up, verified through the emailed token and signed in. */
const escfSignedIn = (system) =>
  inPool(Array.from({ length: SIGNED_IN }), 8, async (_, n) => {
    const email = `setup-${n}@example.com`;
    const created = await send(system.url, 'POST', '/users', { name: `Setup ${n}`, email, password: PASSWORD });
    if (!created.response.ok) throw new Error(`sign-up failed: ${JSON.stringify(created.body)}`);
    const id = created.body.id;
    const [, token] = await system.waitForLog(
      new RegExp(`Sending email verification to ${email.replace('.', '\\.')}: (\\w+)`),
      60_000,
    );
    const verified = await send(system.url, 'POST', `/users/${id}/verify-email`, { token });
    if (!verified.response.ok) throw new Error(`verification failed: ${JSON.stringify(verified.body)}`);
    const session = await send(system.url, 'POST', '/sessions', { email, password: PASSWORD });
    if (!session.response.ok) throw new Error(`sign-in failed: ${JSON.stringify(session.body)}`);
    return { id, token: session.body.token };
  });

/** A free TCP port of 127.0.0.1 (for the inspector, which cannot take port 0). */
const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** Commands of each kind run one at a time while D1 queries are counted. */
const COUNTED_PATCHES = 30;
const COUNTED_SIGN_UPS = 15;

/**
 * D1 queries (calls) and statements per PATCH and per sign-up, counted at
 * the D1 simulator after the timed rounds: every worker's queries, the email
 * process's included (each counted sign-up waits for its email).
 */
async function d1QueriesPerCommand(system, inspectorPort, signedIn) {
  const counter = await countD1Queries(inspectorPort);
  if (!counter) return null;
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));
  try {
    await settle();
    const start = await counter.read();
    for (let i = 0; i < COUNTED_PATCHES; i++) {
      const user = signedIn[i % signedIn.length];
      await send(system.url, 'PATCH', `/users/${user.id}`, { name: `Counted ${i}` }, user.token);
    }
    await settle();
    const afterPatches = await counter.read();
    for (let i = 0; i < COUNTED_SIGN_UPS; i++) {
      const email = `counted-${i}@example.com`;
      await send(system.url, 'POST', '/users', { name: 'Counted', email, password: PASSWORD });
      await system.waitForLog(new RegExp(`Sending email verification to ${email.replace('.', '\\.')}:`), 30_000);
    }
    await settle();
    const afterSignUps = await counter.read();
    const per = (from, to, n, key) => Math.round(((to[key] - from[key]) / n) * 100) / 100;
    return {
      patch: per(start, afterPatches, COUNTED_PATCHES, 'queries'),
      patchStatements: per(start, afterPatches, COUNTED_PATCHES, 'statements'),
      signUp: per(afterPatches, afterSignUps, COUNTED_SIGN_UPS, 'queries'),
      signUpStatements: per(afterPatches, afterSignUps, COUNTED_SIGN_UPS, 'statements'),
    };
  } finally {
    await counter.detach();
  }
}

const ROUNDS = Number(process.env.SYSTEM_ROUNDS ?? 4);
const median = (values) => percentile(values, 50);
const figures = { system_load_average_before: Math.round(os.loadavg()[0] * 10) / 10 };
// The local runtime's price of each platform operation, measured first in a workerd of its own.
const localCosts = await measureLocalCosts();
const { started: raw, pid: rawPid } = await withWorkerdPid(async () => {
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: RAW_WORKER,
      compatibilityDate: '2026-11-01',
      durableObjects: { USERS: { className: 'RawUser', useSQLite: true } },
      host: '127.0.0.1',
      port: 0,
    }),
  );
  await mf.ready;
  return mf;
});
const { startUsersSystem } = await import('../examples/users/test/e2e/users-system.ts');
const inspectorPort = await freePort();
const { started: system, pid: systemPid } = await withWorkerdPid(() => startUsersSystem({ inspectorPort }));
try {
  const rawBase = await raw.ready;
  const base = new URL(system.url);
  const rawUsers = await rawSignedIn(rawBase);
  const signedIn = await escfSignedIn(system);
  // The email process logs the token it sends; the lag is log time minus the sign-up's answer.
  const answeredByEmail = new Map();
  const answeredById = new Map();
  const onCreated = (email, id, at) => {
    answeredByEmail.set(email, at);
    answeredById.set(id, at);
  };
  const rawRuns = [];
  const runs = [];
  for (let round = 0; round < ROUNDS; round++) {
    const seconds = SECONDS / ROUNDS;
    const runRaw = () => drive(rawBase, rawUsers, seconds, rawPid).then((run) => rawRuns.push(run));
    const runSystem = () => drive(base, signedIn, seconds, systemPid, onCreated).then((run) => runs.push(run));
    if (round % 2 === 0) {
      await runRaw();
      await runSystem();
    } else {
      await runSystem();
      await runRaw();
    }
  }
  const loadEnded = Date.now();
  const emailed = new Map();
  const collect = () => {
    system.logs.forEach((line, index) => {
      const match = line.match(/Sending email verification to (\S+):/);
      if (match && answeredByEmail.has(match[1]) && !emailed.has(match[1]))
        emailed.set(match[1], system.logTimes[index]);
    });
  };
  // Wait (bounded) until every sign-up's email is out; one still missing then counts with the wait as its lag.
  while (Date.now() - loadEnded < PROCESS_WAIT_MS) {
    collect();
    if (emailed.size >= answeredByEmail.size) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const processLags = [...answeredByEmail].map(([email, at]) => Math.max(0, (emailed.get(email) ?? Date.now()) - at));
  // Both projections are synchronous: a sign-up answers after they applied it. From its event's timestamp
  // (the users row's created_at, taken when the command starts) to that answer bounds commit → read model.
  const users = await system.d1('USERS_DB', 'users');
  const { results } = await users.prepare('SELECT user_id, created_at FROM users').all();
  const projectionLags = results
    .filter((row) => answeredById.has(row.user_id))
    .map((row) => Math.max(0, answeredById.get(row.user_id) - row.created_at));

  const d1 = await d1QueriesPerCommand(system, inspectorPort, signedIn);
  const total = (list, key) => list.reduce((sum, run) => sum + run[key], 0);
  const cpuPerCommand = (list) =>
    list.some((run) => run.cpuSeconds === null)
      ? null
      : Math.round(((total(list, 'cpuSeconds') * 1000) / Math.max(1, total(list, 'accepted'))) * 10) / 10;
  const rejections = runs.map((run) => run.rejections).filter(Boolean);
  if (rejections.length > 0) console.warn(`rejected: ${rejections.join(' ')}`);
  figures.system_raw_commands_per_s = Math.round(total(rawRuns, 'accepted') / total(rawRuns, 'seconds'));
  figures.system_raw_latency_ms_p99 = percentile(
    rawRuns.flatMap((run) => run.latencies),
    99,
  );
  figures.system_raw_rejected = total(rawRuns, 'rejected');
  figures.system_raw_cpu_ms_per_command = cpuPerCommand(rawRuns);
  figures.system_commands_per_s = Math.round(total(runs, 'accepted') / total(runs, 'seconds'));
  figures.system_latency_ms_p50 = percentile(
    runs.flatMap((run) => run.latencies),
    50,
  );
  figures.system_latency_ms_p99 = percentile(
    runs.flatMap((run) => run.latencies),
    99,
  );
  figures.system_rejected = total(runs, 'rejected');
  figures.system_cpu_ms_per_command = cpuPerCommand(runs);
  figures.system_projection_lag_ms_p99 = percentile(projectionLags, 99);
  figures.system_process_lag_ms_p50 = percentile(processLags, 50);
  figures.system_process_lag_ms_p99 = percentile(processLags, 99);
  figures.system_process_lag_samples = processLags.length;
  figures.system_process_lag_missing = answeredByEmail.size - emailed.size;
  // Median of the rounds' ratios: each pair ran back to back under about the same machine load.
  figures.system_ratio_vs_raw =
    Math.round(median(runs.map((run, round) => run.perS / rawRuns[round].perS)) * 1000) / 1000;
  // What each accepted command cost the workerd that runs it, in CPU: independent of how busy the machine was.
  figures.system_cpu_ratio_raw_over_system =
    figures.system_cpu_ms_per_command && figures.system_raw_cpu_ms_per_command
      ? Math.round((figures.system_raw_cpu_ms_per_command / figures.system_cpu_ms_per_command) * 1000) / 1000
      : null;
  if (d1) {
    figures.system_d1_queries_per_patch = d1.patch;
    figures.system_d1_statements_per_patch = d1.patchStatements;
    figures.system_d1_queries_per_sign_up = d1.signUp;
    figures.system_d1_statements_per_sign_up = d1.signUpStatements;
    // The load's mix of the two.
    figures.system_d1_queries_per_command = Math.round((SIGN_UPS * d1.signUp + (1 - SIGN_UPS) * d1.patch) * 100) / 100;
  }
  if (localCosts) {
    figures.local_d1_query_cpu_ms = localCosts.d1;
    figures.local_new_durable_object_cpu_ms = localCosts.newDurableObject;
    figures.local_service_call_cpu_ms = localCosts.serviceCall;
    figures.local_pbkdf2_cpu_ms = localCosts.pbkdf2;
  }
  // Locally every D1 query also costs this workerd's CPU (the simulator runs in it); in production
  // D1 runs elsewhere. The CPU per command without that share, and the ratio it gives:
  if (d1 && localCosts && figures.system_cpu_ms_per_command && figures.system_raw_cpu_ms_per_command) {
    const withoutD1 = figures.system_cpu_ms_per_command - figures.system_d1_queries_per_command * localCosts.d1;
    figures.system_cpu_ms_per_command_without_local_d1 = Math.round(withoutD1 * 10) / 10;
    figures.system_cpu_ratio_raw_over_system_without_local_d1 =
      Math.round((figures.system_raw_cpu_ms_per_command / withoutD1) * 1000) / 1000;
  }
  figures.system_load_average = Math.round(os.loadavg()[0] * 10) / 10;
} finally {
  await system.stop();
  await raw.dispose();
}
mergeResults(figures);
console.log(
  `\nUsers system vs hand-written Worker + DO (local workerd; ${CLIENTS} clients, ${ROUNDS} rounds of ${SECONDS / ROUNDS} s each)`,
);
console.table(figures);
