// What the local runtime charges the CPU of the one workerd process for the
// platform operations a system performs — a D1 query (Miniflare's simulator
// runs in the same process; in production D1 runs elsewhere), creating a new
// Durable Object, a service-binding call, a PBKDF2 hash — measured in one
// worker of its own. The system benchmark uses them to say how much of a
// command's CPU is the platform's local cost and how much is code.
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { workerdChildren, workerdCpuSeconds } from './workerd-process.mjs';

const WORKER = `
import { DurableObject, WorkerEntrypoint } from 'cloudflare:workers';
export class Obj extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v TEXT)');
  }
  write(i) {
    this.ctx.storage.sql.exec('INSERT OR REPLACE INTO t VALUES (?, ?)', i % 100, 'x'.repeat(200));
    return 1;
  }
}
export class Svc extends WorkerEntrypoint { noop(x) { return x; } }
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const n = Number(url.searchParams.get('n'));
    const run = url.searchParams.get('run');
    const what = url.pathname.slice(1);
    if (what === 'setup') {
      await env.DB.exec('CREATE TABLE IF NOT EXISTS e (p INTEGER PRIMARY KEY, s TEXT, v INTEGER, body TEXT, UNIQUE (s, v))');
      return new Response('ok');
    }
    for (let i = 0; i < n; i++) {
      if (what === 'd1') await env.DB.prepare('INSERT INTO e (s, v, body) VALUES (?, ?, ?)').bind(run + i, i, 'x'.repeat(300)).run();
      else if (what === 'newDurableObject') await env.OBJ.get(env.OBJ.idFromName(run + i)).write(i);
      else if (what === 'serviceCall') await env.SVC.noop(i);
      else if (what === 'pbkdf2') {
        const key = await crypto.subtle.importKey('raw', new TextEncoder().encode('pw' + i), 'PBKDF2', false, ['deriveBits']);
        await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(16), iterations: 100000 }, key, 256);
      }
    }
    return new Response('ok');
  },
};`;

const OPERATIONS = { d1: 600, newDurableObject: 200, serviceCall: 1000, pbkdf2: 30 };

/** CPU milliseconds per operation of the local runtime (null where /proc is not there). */
export async function measureLocalCosts() {
  const before = workerdChildren();
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      name: 'costs',
      modules: true,
      script: WORKER,
      compatibilityDate: '2026-11-01',
      durableObjects: { OBJ: { className: 'Obj', useSQLite: true } },
      serviceBindings: { SVC: { name: 'costs', entrypoint: 'Svc' } },
      d1Databases: ['DB'],
      host: '127.0.0.1',
      port: 0,
    }),
  );
  try {
    const url = await mf.ready;
    const pid = [...workerdChildren()].find((p) => !before.has(p));
    if (!pid) return null;
    await fetch(new URL('/setup', url));
    const costs = {};
    let run = 0;
    for (const [what, n] of Object.entries(OPERATIONS)) {
      await fetch(new URL(`/${what}?n=${Math.ceil(n / 10)}&run=warm${run++}-`, url)); // compile and warm up
      const cpuBefore = workerdCpuSeconds(pid);
      await fetch(new URL(`/${what}?n=${n}&run=r${run++}-`, url));
      costs[what] = Math.round((((workerdCpuSeconds(pid) - cpuBefore) * 1000) / n) * 100) / 100;
    }
    return costs;
  } finally {
    await mf.dispose();
  }
}
