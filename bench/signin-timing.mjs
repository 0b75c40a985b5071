// Sign-in timing parity: does the users example tell existing accounts apart
// by how long a failed sign-in takes? It answers an unknown address exactly
// like a wrong password, after hashing the password against a dummy hash
// (workers/api/src/authentication.ts). Measured over HTTP against every
// worker of the example in one local workerd: TRIALS sign-ins with a wrong
// password for verified accounts and TRIALS for unknown addresses,
// interleaved (the order alternates per pair, so drift hits both alike).
// Reports the medians and their ratio (1 = indistinguishable by median).
// Each account is tried at most 4 times (the per-address limit is 5 a
// minute), and the trials pause for a minute after every 56 attempts (the
// per-IP limit is 60 a minute); an answer other than 401 stops the benchmark.
import { mergeResults } from './results.mjs';

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_SEND_METRICS ??= 'false';

const TRIALS = Number(process.env.SIGNIN_TRIALS ?? 40);
const WARMUP = 8;
const TRIES_PER_ACCOUNT = 4;
const ATTEMPTS_PER_MINUTE = 56;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const { startUsersSystem } = await import('../examples/users/test/e2e/users-system.ts');
const system = await startUsersSystem();
try {
  const base = new URL(system.url);
  const post = async (path, body) => {
    const response = await fetch(new URL(path, base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  };

  // Verified accounts, enough for every trial within the per-address limit.
  const run = Date.now().toString(36);
  const accounts = [];
  for (let a = 0; a < Math.ceil((TRIALS + WARMUP) / TRIES_PER_ACCOUNT); a++) {
    const email = `timing-${run}-${a}@example.com`;
    const created = await post('/users', { name: `Timing ${a}`, email, password: 'correct horse battery staple' });
    if (created.status !== 201) throw new Error(`sign-up: ${created.status} ${JSON.stringify(created.body)}`);
    const [, token] = await system.waitForLog(
      new RegExp(`Sending email verification to ${email.replace(/[.]/g, '\\.')}: (\\w+)`),
    );
    const verified = await post(`/users/${created.body.id}/verify-email`, { token });
    if (verified.status !== 200) throw new Error(`verify: ${verified.status} ${JSON.stringify(verified.body)}`);
    accounts.push(email);
  }

  /** One failed sign-in: its answer time in ms (request sent → body read). */
  const attempt = async (email) => {
    const started = performance.now();
    const answer = await post('/sessions', { email, password: 'not the password' });
    const ms = performance.now() - started;
    if (answer.status !== 401) throw new Error(`sign-in answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return ms;
  };
  const known = [];
  const unknown = [];
  let attemptsInWindow = 0;
  for (let i = 0; i < TRIALS + WARMUP; i++) {
    if (attemptsInWindow + 2 > ATTEMPTS_PER_MINUTE) {
      await new Promise((resolve) => setTimeout(resolve, 61_000));
      attemptsInWindow = 0;
    }
    attemptsInWindow += 2;
    const existing = accounts[Math.floor(i / TRIES_PER_ACCOUNT)];
    const nobody = `nobody-${run}-${i}@example.com`;
    const pair =
      i % 2 === 0
        ? [await attempt(existing), await attempt(nobody)]
        : [await attempt(nobody), await attempt(existing)].reverse();
    if (i < WARMUP) continue;
    known.push(pair[0]);
    unknown.push(pair[1]);
  }
  const figures = {
    signin_timing_trials: TRIALS,
    signin_timing_ms_known_p50: Math.round(median(known) * 10) / 10,
    signin_timing_ms_unknown_p50: Math.round(median(unknown) * 10) / 10,
    signin_timing_ratio_unknown_over_known: Math.round((median(unknown) / median(known)) * 1000) / 1000,
  };
  mergeResults(figures);
  console.log(`\nSign-in timing: wrong password for an existing account vs an unknown address (${TRIALS} each)`);
  console.table(figures);
} finally {
  await system.stop();
}
