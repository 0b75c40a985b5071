// Node only: starts a generated multi-worker ESCF system in workerd (Miniflare), for end-to-end tests.

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { readD1Migrations } from '@cloudflare/vitest-plugin';
import { GeneratedPaths, loadConfig, resolveSystem, type WorkerModel } from '@escf/cli/internal';
import { EVENT_STORE_BINDING } from '@escf/core/internal';

/** A generated system running in workerd. */
export interface RunningSystem {
  /** The base URL of the first API worker (the one `npm run dev` serves). */
  readonly url: URL;
  /** The ESCF console's base URL, when started with the `console` option. */
  readonly consoleUrl: URL | null;
  /** Every line the workers logged so far. */
  readonly logs: readonly string[];
  /** When each of `logs` arrived (ms since the epoch), in the same order. */
  readonly logTimes: readonly number[];
  /** Sends a request to the API worker: `fetch('/users', { method: 'POST', … })`. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Resolves with the first log line matching `pattern`. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** A D1 database of one worker (e.g. `d1('ESCF_EVENTS')`, `d1('BALANCES_DB', 'balances')`), for assertions. */
  d1(binding: string, workerKey?: string): Promise<D1DatabaseLike>;
  /** An R2 bucket of one worker (Miniflare's R2 API). */
  r2(binding: string, workerKey?: string): Promise<unknown>;
  stop(): Promise<void>;
}

/** Options of {@link startSystem}. */
export interface StartSystemOptions {
  /** Extra Miniflare options per worker key (e.g. `{ api: { bindings: { MODE: 'test' } } }`); `bindings` add to the worker's own. */
  readonly workers?: Readonly<Record<string, Record<string, unknown>>>;
  /**
   * Also start the system's ESCF console (declared with `console` in
   * escf.config.ts) on its own socket, with these secrets: the admin worker
   * gets the read and write tokens, the console the write token and its
   * sign-in password.
   */
  readonly console?: ConsoleSecrets;
  /**
   * Opens workerd's V8 inspector on this port of 127.0.0.1 (one target per
   * worker, listed at `http://127.0.0.1:<port>/json`): attach Chrome
   * DevTools to profile or debug a worker of the running system.
   */
  readonly inspectorPort?: number;
}

/** Local secrets of the console and of the admin entrypoint it calls. */
export interface ConsoleSecrets {
  readonly password: string;
  readonly adminReadToken: string;
  readonly adminWriteToken: string;
}

/**
 * Starts every worker of a generated system from its `escf.config.ts`, as
 * `npm run dev` would but in-process: each worker is bundled by wrangler
 * (`deploy --dry-run`, what a deploy would upload) from its generated entry
 * and configured from its generated wrangler.jsonc, all in one Miniflare
 * with service bindings, cross-worker Durable Objects, queues and workflows.
 * State is in memory; each worker's D1 migrations are applied as
 * `wrangler d1 migrations apply` would. Needs `wrangler` installed; run
 * `escf generate` first (`escf check` in CI keeps it honest).
 *
 * @example
 * ```ts
 * const system = await startSystem('examples/bank');   // or the path of escf.config.ts
 * const response = await system.fetch('/accounts', { method: 'POST', body: '{}' });
 * await system.stop();
 * ```
 */
export async function startSystem(projectOrConfig: string, options: StartSystemOptions = {}): Promise<RunningSystem> {
  const configPath =
    existsSync(projectOrConfig) && statSync(projectOrConfig).isDirectory()
      ? join(projectOrConfig, 'escf.config.ts')
      : projectOrConfig;
  const system = resolveSystem(await loadConfig(configPath));
  const project = dirname(system.configPath);
  // The API workers first: the first one receives the HTTP requests.
  const workers = [...system.workers].sort((a, b) => Number(b.kind === 'api') - Number(a.kind === 'api'));
  const wranglerRequire = createRequire(createRequire(join(project, 'package.json')).resolve('wrangler'));
  const { unstable_getMiniflareWorkerOptions } = (await import(wranglerRequire.resolve('wrangler'))) as {
    unstable_getMiniflareWorkerOptions(path: string): { workerOptions: Record<string, unknown>; main?: string };
  };
  // Wrangler's own Miniflare: the worker options it derives match that version's schema.
  const { Miniflare, convertV4MiniflareOptions } = (await import(wranglerRequire.resolve('miniflare'))) as {
    Miniflare: new (options: unknown) => MiniflareInstance;
    convertV4MiniflareOptions?: (options: unknown) => unknown;
  };

  const secrets = options.console;
  if (secrets && !system.console)
    throw new Error(
      `startSystem: ${system.configPath} declares no console; add \`console: { dir: 'workers/console' }\` and run escf generate.`,
    );
  // The console (when asked for) is one more worker, on a socket of its own: the browser talks to it, not to the API.
  const started = [
    ...workers.map((worker) => ({ key: worker.key, dir: worker.dir, workerName: worker.workerName })),
    ...(secrets && system.console
      ? [{ key: 'console', dir: system.console.dir, workerName: system.console.workerName }]
      : []),
  ];
  const secretBindings = (key: string): Record<string, unknown> | undefined => {
    if (!secrets || !system.console) return undefined;
    if (key === system.console.adminWorkerKey)
      return { ESCF_ADMIN_READ_TOKEN: secrets.adminReadToken, ESCF_ADMIN_WRITE_TOKEN: secrets.adminWriteToken };
    if (key === 'console')
      return { ESCF_ADMIN_TOKEN: secrets.adminWriteToken, ESCF_CONSOLE_PASSWORD: secrets.password };
    return undefined;
  };

  const outDir = mkdtempSync(join(tmpdir(), `escf-${system.name}-`));
  const bundles = await Promise.all(
    started.map((worker) => bundle(wranglerRequire, project, worker.dir, join(outDir, worker.key))),
  );
  const workerOptions = started.map((worker, index) => {
    const { workerOptions: derived } = unstable_getMiniflareWorkerOptions(join(worker.dir, 'wrangler.jsonc'));
    const { modulesRules: _ignored, ...rest } = derived as Record<string, unknown> & {
      modulesRules?: unknown;
      bindings?: Record<string, unknown>;
    };
    const secret = secretBindings(worker.key);
    const extra = options.workers?.[worker.key] as { bindings?: Record<string, unknown> } | undefined;
    return {
      ...rest,
      ...(secret ? { bindings: { ...(rest.bindings as Record<string, unknown> | undefined), ...secret } } : {}),
      ...(worker.key === 'console' ? { unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }] } : {}),
      name: worker.workerName,
      modules: true,
      modulesRoot: join(outDir, worker.key),
      scriptPath: bundles[index]!,
      ...extra,
      // Extra bindings add to the generated ones (vars, secrets) instead of replacing them.
      ...(extra?.bindings
        ? { bindings: { ...(rest.bindings as Record<string, unknown> | undefined), ...secret, ...extra.bindings } }
        : {}),
    };
  });

  const logs: string[] = [];
  const logTimes: number[] = [];
  const waiters = new Set<() => void>();
  const miniflareOptions = {
    workers: workerOptions,
    port: 0,
    ...(options.inspectorPort === undefined ? {} : { inspectorPort: options.inspectorPort }),
    handleStructuredLogs: ({ message }: { message: string }) => {
      logs.push(message);
      logTimes.push(Date.now());
      for (const wake of waiters) wake();
    },
  };
  const mf = new Miniflare(convertV4MiniflareOptions ? convertV4MiniflareOptions(miniflareOptions) : miniflareOptions);
  const url = await mf.ready;
  const workerNamed = (key?: string): WorkerModel => {
    const worker = key === undefined ? workers[0]! : workers.find((w) => w.key === key);
    if (!worker)
      throw new Error(
        `startSystem: no worker '${key}' in ${system.configPath} (workers: ${workers.map((w) => w.key).join(', ')})`,
      );
    return worker;
  };

  for (const worker of workers) {
    const databases =
      worker.kind === 'api'
        ? [{ binding: EVENT_STORE_BINDING, dir: join(worker.dir, GeneratedPaths.eventStoreMigrations) }]
        : worker.reactor
          ? [{ binding: worker.reactor.databaseBinding, dir: join(worker.dir, 'migrations') }]
          : [];
    for (const { binding, dir } of databases) {
      if (!existsSync(dir)) continue;
      const db = await mf.getD1Database(binding, worker.workerName);
      for (const migration of await readD1Migrations(dir))
        await db.batch(migration.queries.map((query) => db.prepare(query)));
    }
  }

  return {
    url,
    consoleUrl: secrets && system.console ? await mf.unsafeGetDirectURL(system.console.workerName) : null,
    logs,
    logTimes,
    fetch: (path, init) => fetch(new URL(path, url), init),
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
    d1: (binding, key) => mf.getD1Database(binding, workerNamed(key).workerName),
    r2: (binding, key) => mf.getR2Bucket(binding, workerNamed(key).workerName),
    async stop() {
      await mf.dispose();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** The part of a D1 database end-to-end assertions use (Node has no workers types). */
export interface D1DatabaseLike {
  prepare(query: string): {
    bind(...values: unknown[]): D1DatabaseLike['prepare'] extends (q: string) => infer S ? S : never;
    first<T = Record<string, unknown>>(column?: string): Promise<T | null>;
    all<T = Record<string, unknown>>(): Promise<{ results: T[] }>;
    run(): Promise<unknown>;
  };
  batch(statements: unknown[]): Promise<unknown>;
}

/** The part of Miniflare this helper uses. */
interface MiniflareInstance {
  readonly ready: Promise<URL>;
  getD1Database(binding: string, workerName: string): Promise<D1DatabaseLike>;
  getR2Bucket(binding: string, workerName: string): Promise<unknown>;
  unsafeGetDirectURL(workerName: string): Promise<URL>;
  dispose(): Promise<void>;
}

/** Bundles one worker with `wrangler deploy --dry-run` (no account needed); returns the entry module's path. */
async function bundle(
  wranglerRequire: NodeRequire,
  project: string,
  workerDir: string,
  outDir: string,
): Promise<string> {
  const wranglerBin = join(dirname(wranglerRequire.resolve('wrangler/package.json')), 'bin', 'wrangler.js');
  await promisify(execFile)(
    process.execPath,
    [wranglerBin, 'deploy', '--dry-run', '--outdir', outDir, '-c', join(workerDir, 'wrangler.jsonc')],
    {
      cwd: project,
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
    },
  );
  return join(outDir, 'escf.generated.js');
}
