import { readD1Migrations } from '@cloudflare/vitest-plugin';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';

// Wrangler's own Miniflare: the worker options it derives from wrangler.jsonc match that version's schema.
const wranglerRequire = createRequire(createRequire(import.meta.url).resolve('wrangler'));
const { Miniflare, convertV4MiniflareOptions } = (await import(wranglerRequire.resolve('miniflare'))) as {
  Miniflare: new (options: unknown) => MiniflareInstance;
  // Miniflare 5 nests worker settings; wrangler still derives the flat (v4) shape.
  convertV4MiniflareOptions(options: unknown): unknown;
};

/** The part of Miniflare this harness uses. */
interface MiniflareInstance {
  readonly ready: Promise<URL>;
  getD1Database(binding: string, workerName: string): Promise<D1Like>;
  dispose(): Promise<void>;
}
interface D1Like {
  prepare(query: string): unknown;
  batch(statements: unknown[]): Promise<unknown>;
}
type WorkerOptions = Record<string, unknown>;

const example = fileURLToPath(new URL('../..', import.meta.url));
const repository = join(example, '..', '..');

/** The example's workers, the API first (it receives the HTTP requests), and the D1 databases each migrates. */
const WORKERS = [
  { dir: 'api', databases: ['ESCF_EVENTS'] },
  { dir: 'users', databases: ['USERS_DB'] },
  { dir: 'sessions', databases: ['SESSIONS_DB'] },
  { dir: 'email', databases: ['SEND_EMAIL_VERIFICATION_DB'] },
] as const;

/** The whole users system, running in workerd. */
export interface UsersSystem {
  /** The API's base URL. */
  readonly url: URL;
  /** Every line the workers logged so far. */
  readonly logs: readonly string[];
  /** When each of `logs` arrived (ms since the epoch), same order: the system benchmark's process lag. */
  readonly logTimes: readonly number[];
  /** Resolves with the first log line matching `pattern` (the README reads the token from the log the same way). */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

/**
 * Starts every worker of the example as `npm run dev` does, but in-process:
 * each worker is bundled by wrangler from its generated entry, configured
 * from its own wrangler.jsonc, and all run in one Miniflare with service
 * bindings, cross-worker Durable Objects and queues. State is in memory; the
 * D1 migrations are applied as `wrangler d1 migrations apply` would.
 */
export async function startUsersSystem(): Promise<UsersSystem> {
  const outDir = mkdtempSync(join(tmpdir(), 'escf-users-e2e-'));
  const workers: WorkerOptions[] = [];
  // Bundled by wrangler itself (`deploy --dry-run`): exactly what a deploy would upload.
  const bundles = await Promise.all(WORKERS.map(({ dir }) => bundle(dir, join(outDir, dir))));
  for (const [i, { dir }] of WORKERS.entries()) {
    const { workerOptions } = unstable_getMiniflareWorkerOptions(join(example, 'workers', dir, 'wrangler.jsonc'));
    const { modulesRules: _ignored, ...options } = workerOptions as WorkerOptions & { modulesRules?: unknown };
    // Named as in its wrangler.jsonc, so that service bindings and script_name find it.
    workers.push({ ...options, name: `users-${dir}`, modules: true, modulesRoot: join(outDir, dir), scriptPath: bundles[i]! } as WorkerOptions);
  }

  const logs: string[] = [];
  const logTimes: number[] = [];
  const waiters = new Set<() => void>();
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      workers,
      port: 0,
      handleStructuredLogs: ({ message }: { message: string }) => {
        logs.push(message);
        logTimes.push(Date.now());
        for (const wake of waiters) wake();
      },
    }),
  );
  const url = await mf.ready;

  for (const { dir, databases } of WORKERS) {
    for (const binding of databases) {
      const db = await mf.getD1Database(binding, `users-${dir}`);
      for (const migration of await readD1Migrations(join(example, 'workers', dir, binding === 'ESCF_EVENTS' ? 'migrations/escf-events' : 'migrations'))) {
        await db.batch(migration.queries.map((query) => db.prepare(query)));
      }
    }
  }

  return {
    url,
    logs,
    logTimes,
    waitForLog(pattern, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (const line of logs) {
            const match = line.match(pattern);
            if (match) {
              waiters.delete(check);
              clearTimeout(timer);
              resolve(match);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`No log line matched ${pattern} within ${timeoutMs} ms; logs:\n${logs.join('\n')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      await mf.dispose();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** Bundles one worker with `wrangler deploy --dry-run` (no account needed); returns the entry module's path. */
async function bundle(dir: string, outDir: string): Promise<string> {
  await promisify(execFile)(join(repository, 'node_modules', '.bin', 'wrangler'), ['deploy', '--dry-run', '--outdir', outDir, '-c', join(example, 'workers', dir, 'wrangler.jsonc')], {
    cwd: example,
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
  });
  return join(outDir, 'escf.generated.js');
}
