// Real process kills: the users example runs under `wrangler dev` (workerd)
// with state persisted on disk, clients sign up under load, workerd is killed
// with SIGKILL mid-load and the dev server restarted on the same state. Every
// acknowledged sign-up must be in the D1 log exactly once (lost 0,
// duplicated 0), and every verification email sent exactly once: the queue
// messages the local (in-memory) queue lost with workerd are healed by the
// email process's sweep of the D1 log, started by the queue batches of the
// traffic after the restart (see docs/processes.md).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const example = fileURLToPath(new URL('..', import.meta.url));
const wranglerBin = join(example, '..', '..', 'node_modules', '.bin', 'wrangler');
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' };
const persist = mkdtempSync(join(tmpdir(), 'escf-users-kill-'));
const started: ChildProcess[] = [];
/** Recipients of the verification emails the dev servers logged as sent. */
const mailed: string[] = [];

afterAll(() => {
  for (const child of started) if (child.exitCode === null) killTree(child.pid!, 'SIGKILL');
  rmSync(persist, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Pids of a process's descendants, from /proc. */
function descendants(pid: number): Array<{ pid: number; comm: string }> {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return { pid: Number(d), ppid, comm };
      } catch {
        return null;
      }
    })
    .filter((p): p is { pid: number; ppid: number; comm: string } => p !== null);
  const found: Array<{ pid: number; comm: string }> = [];
  const walk = (parent: number) => {
    for (const p of all)
      if (p.ppid === parent) {
        found.push(p);
        walk(p.pid);
      }
  };
  walk(pid);
  return found;
}

function killTree(pid: number, signal: NodeJS.Signals): void {
  for (const { pid: child } of descendants(pid).reverse()) {
    try {
      process.kill(child, signal);
    } catch {
      /* gone */
    }
  }
  try {
    process.kill(pid, signal);
  } catch {
    /* gone */
  }
}

function migrate(): void {
  for (const [binding, worker] of [
    ['ESCF_EVENTS', 'api'],
    ['USERS_DB', 'users'],
    ['SESSIONS_DB', 'sessions'],
    ['SEND_EMAIL_VERIFICATION_DB', 'email'],
  ] as const) {
    const { status, stderr } = spawnSync(
      wranglerBin,
      [
        'd1',
        'migrations',
        'apply',
        binding,
        '--local',
        '-c',
        `workers/${worker}/wrangler.jsonc`,
        '--persist-to',
        persist,
      ],
      { cwd: example, env, encoding: 'utf8' },
    );
    if (status !== 0) throw new Error(`migrations of ${binding}: ${stderr}`);
  }
}

async function startDev(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const inspector = await freePort();
  const args = [
    'dev',
    ...['api', 'users', 'sessions', 'email'].flatMap((w) => ['-c', `workers/${w}/wrangler.jsonc`]),
    '--persist-to',
    persist,
    '--port',
    String(port),
    '--inspector-port',
    String(inspector),
    '--ip',
    '127.0.0.1',
  ];
  const child = spawn(wranglerBin, args, { cwd: example, env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  // The example's mailer logs each email it sends: count them (the real effect) across runs.
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    for (const match of chunk.matchAll(/Sending email verification to (\S+):/g)) mailed.push(match[1]!);
  });
  child.stderr!.resume();
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/openapi.json`)).ok) return { url, child };
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('wrangler dev did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Rows of a local D1 database (by a table it must hold), read straight from its SQLite file. */
async function localD1(table: string, query: string): Promise<Array<Record<string, unknown>>> {
  const { DatabaseSync } = await import('node:sqlite');
  const dir = join(persist, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sqlite'))) {
    const db = new DatabaseSync(join(dir, file), { readOnly: true });
    try {
      if (db.prepare('SELECT 1 FROM sqlite_master WHERE name = ?').get(table))
        return db.prepare(query).all() as Array<Record<string, unknown>>;
    } finally {
      db.close();
    }
  }
  return [];
}

async function loggedEvents(): Promise<Array<{ id: string; type: string; aggregateId: string; version: number }>> {
  const rows = await localD1('escf_events', 'SELECT aggregate_id, events FROM escf_events');
  return rows.flatMap((row) =>
    (JSON.parse(row.events as string) as Array<{ id: string; type: string; version: number }>).map((e) => ({
      ...e,
      aggregateId: row.aggregate_id as string,
    })),
  );
}

describe('killing workerd under load (wrangler dev, state on disk)', () => {
  it('every acknowledged sign-up survives exactly once; every verification email is sent exactly once', async () => {
    const t0 = Date.now();
    const phases: string[] = [];
    const phase = (name: string) => phases.push(`${name} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    migrate();
    phase('migrated');
    let dev = await startDev();
    phase('started');
    const acked = new Set<string>();
    let stop = false;
    let attempts = 0;
    const client = async (c: number) => {
      for (let i = 0; !stop; i++) {
        const id = `kill-${c}-${i}`;
        attempts++;
        try {
          const response = await fetch(`${dev.url}/users/${id}`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              name: `User ${c}-${i}`,
              email: `${id}@example.com`,
              password: 'correct horse battery',
            }),
          });
          if (response.status === 201) acked.add(id);
          await response.arrayBuffer();
        } catch {
          // The server died mid-request: not acknowledged.
        }
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, (_, c) => client(c)));
    // Kill mid-load: after 3 s, or later on a busy machine, once a dozen sign-ups were acknowledged (bounded).
    const loadStarted = Date.now();
    while (Date.now() - loadStarted < 3_000 || (acked.size < 12 && Date.now() - loadStarted < 30_000))
      await new Promise((r) => setTimeout(r, 100));
    const workerd = descendants(dev.child.pid!).filter((p) => p.comm === 'workerd');
    expect(workerd.length).toBeGreaterThan(0);
    for (const { pid } of workerd) process.kill(pid, 'SIGKILL');
    stop = true;
    await load;
    killTree(dev.child.pid!, 'SIGKILL');
    const ackedBeforeKill = acked.size;
    expect(ackedBeforeKill).toBeGreaterThan(0);

    // Restart on the same state: outbox alarms deliver what was committed.
    phase('killed');
    dev = await startDev();
    phase('restarted');
    let events = await loggedEvents();
    const deadline = Date.now() + 60_000;
    while (
      [...acked].some((id) => !events.some((e) => e.aggregateId === id && e.type === 'UserCreated')) &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 500));
      events = await loggedEvents();
    }
    const created = events.filter((e) => e.type === 'UserCreated');
    const lost = [...acked].filter((id) => !created.some((e) => e.aggregateId === id));
    const ids = events.map((e) => e.id);
    const duplicated = ids.length - new Set(ids).size;
    const duplicateVersions = events.length - new Set(events.map((e) => `${e.aggregateId}#${e.version}`)).size;
    expect(lost).toEqual([]);
    expect(duplicated).toBe(0);
    expect(duplicateVersions).toBe(0);

    // Effects: queue messages that were in the killed workerd's (in-memory) queue are gone. Traffic after the
    // restart (a sign-up every half second) makes the email process's queue batches start sweeps of the D1 log,
    // which hand every UserEmailVerificationIssued it never handled to it, once.
    let trickle = true;
    const after = (async () => {
      for (let i = 0; trickle; i++) {
        const id = `after-${i}`;
        const response = await fetch(`${dev.url}/users/${id}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: `After ${i}`, email: `${id}@example.com`, password: 'correct horse battery' }),
        }).catch(() => null);
        if (response?.status === 201) acked.add(id);
        await response?.arrayBuffer();
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    const handledIds = async () =>
      (await localD1('escf_process_events', 'SELECT event_id, handled_at FROM escf_process_events'))
        .filter((row) => (row.handled_at as number) > 0)
        .map((row) => row.event_id as string);
    const issuedIds = async () =>
      new Set((await loggedEvents()).filter((e) => e.type === 'UserEmailVerificationIssued').map((e) => e.id));
    let issued = await issuedIds();
    let handled = await handledIds();
    const lostAtRestart = [...issued].filter((id) => !handled.includes(id)).length;
    const healDeadline = Date.now() + 90_000;
    while (Date.now() < healDeadline) {
      // Read the handled rows first, then the log: an email issued in between is unhandled, never the reverse.
      handled = await handledIds();
      issued = await issuedIds();
      if ([...issued].every((id) => handled.includes(id))) break;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    phase('healed');
    trickle = false;
    await after;
    handled = await handledIds();
    events = await loggedEvents();
    issued = new Set(events.filter((e) => e.type === 'UserEmailVerificationIssued').map((e) => e.id));
    const sent = handled.filter((id) => issued.has(id));
    const effectsLost = [...issued].filter((id) => !sent.includes(id));
    const effectsDuplicated = handled.length - new Set(handled).size;
    const issuedRecipients = events.filter((e) => e.type === 'UserEmailVerificationIssued').length;
    console.log(
      `[reliability] workerd killed under load: attempts ${attempts}, acknowledged ${ackedBeforeKill}, events ${events.length}, lost 0, duplicated 0; ` +
        `verification emails: ${issued.size} issued, ${lostAtRestart} unsent at the restart (queue messages lost with workerd), ` +
        `${sent.length} sent after the sweep, lost ${effectsLost.length}, duplicated ${effectsDuplicated} ` +
        `(mailer log: ${mailed.length} lines for ${issuedRecipients} issued); ${phases.join(', ')}`,
    );
    expect(effectsLost).toEqual([]);
    expect(effectsDuplicated).toBe(0);
    // Every acknowledged sign-up, including those after the restart, is in the log once.
    const createdNow = events.filter((e) => e.type === 'UserCreated');
    expect([...acked].filter((id) => !createdNow.some((e) => e.aggregateId === id))).toEqual([]);
    killTree(dev.child.pid!, 'SIGTERM');
  }, 240_000);
});
