import { rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadConfig } from '../config/config-loader.js';
import { resolveSystem } from '../config/resolve-system.js';
import { ensureConsoleSecrets } from '../dev/local-secrets.js';
import type { SystemModel } from '../model/system-model.js';
import { migratedDatabases, workerConfigFile } from '../wrangler/worker-databases.js';
import { runWrangler, spawnWrangler } from '../wrangler/wrangler-process.js';

/** Options of `escf dev`. */
export interface DevOptions {
  /** Path of `escf.config.ts`. Default: `escf.config.ts` in the current directory. */
  readonly config?: string;
  /** Port of the API worker. Default 8787. */
  readonly port?: number;
  /** wrangler's inspector (debugger) port. Default: wrangler's. */
  readonly inspectorPort?: number;
  /** Where local state (Durable Objects, D1, queues) lives, relative to the project. Default `.wrangler/state`. */
  readonly persistTo?: string;
  /** Delete the local state first. */
  readonly reset?: boolean;
  readonly log?: (line: string) => void;
}

/** What `escf dev` runs, computed from the system alone. */
export interface DevPlan {
  /** `wrangler d1 migrations apply … --local` argument lists, one per migrated database. */
  readonly migrations: readonly (readonly string[])[];
  /** The one `wrangler dev` with every worker; the first config (an API worker) gets the port. */
  readonly dev: readonly string[];
  /** Deployed names of the workers, in the order wrangler starts them. */
  readonly workers: readonly string[];
  /** A second `wrangler dev` for the ESCF console (its own port), when the system has one. */
  readonly console?: { readonly dev: readonly string[]; readonly port: number };
}

/** The migrations and the `wrangler dev` arguments for a system. */
export function devPlan(
  system: SystemModel,
  options: Pick<DevOptions, 'port' | 'inspectorPort' | 'persistTo'> = {},
): DevPlan {
  const persist = ['--persist-to', options.persistTo ?? '.wrangler/state'];
  // wrangler serves the first config on the port: an API worker, the one HTTP requests are for.
  const workers = [...system.workers].sort((a, b) => Number(b.kind === 'api') - Number(a.kind === 'api'));
  return {
    migrations: migratedDatabases(system).map((d) => [
      'd1',
      'migrations',
      'apply',
      d.binding,
      '--local',
      '-c',
      d.configFile,
      ...persist,
    ]),
    dev: [
      'dev',
      ...workers.flatMap((w) => ['-c', workerConfigFile(system, w)]),
      ...persist,
      '--port',
      String(options.port ?? 8787),
      ...(options.inspectorPort === undefined ? [] : ['--inspector-port', String(options.inspectorPort)]),
    ],
    workers: workers.map((w) => w.workerName),
    ...(system.console === undefined ? {} : { console: consoleDev(system, options) }),
  };
}

/** The console runs in its own wrangler dev on the next port; its service binding reaches the API's admin entrypoint through wrangler's dev registry. */
function consoleDev(
  system: SystemModel,
  options: Pick<DevOptions, 'port' | 'inspectorPort'>,
): { dev: string[]; port: number } {
  const port = (options.port ?? 8787) + 1;
  const configFile = relative(join(system.configPath, '..'), join(system.console!.dir, 'wrangler.jsonc'));
  return {
    port,
    dev: [
      'dev',
      '-c',
      configFile,
      '--port',
      String(port),
      '--inspector-port',
      String((options.inspectorPort ?? 9229) + 1),
    ],
  };
}

/**
 * `escf dev`: applies every worker's D1 migrations to the local databases,
 * then runs all workers of the system in one `wrangler dev` (service
 * bindings, RPC, Durable Objects and queues work between them). Resolves
 * with wrangler's exit code once it stops; Ctrl-C or SIGTERM stop it.
 */
export async function dev(options: DevOptions = {}): Promise<number> {
  const log = options.log ?? console.log;
  const system = resolveSystem(await loadConfig(options.config ?? 'escf.config.ts'));
  const root = join(system.configPath, '..');
  const plan = devPlan(system, options);
  if (options.reset) {
    rmSync(resolve(root, options.persistTo ?? '.wrangler/state'), { recursive: true, force: true });
    log(`escf dev: local state reset (${options.persistTo ?? '.wrangler/state'})`);
  }
  // One after another: concurrent local applies share workerd's state files and can fail with SQLITE_BUSY.
  for (const args of plan.migrations) {
    const result = await runWrangler(root, args);
    const [, , , binding, , , configFile] = args;
    if (result.code !== 0) {
      log(`escf dev: applying the local migrations of ${binding} (${configFile}) failed:\n${result.output.trim()}`);
      return 1;
    }
    log(`escf dev: local D1 ${binding} migrated (${configFile})`);
  }
  const port = options.port ?? 8787;
  log(`escf dev: starting ${plan.workers.join(', ')} in one wrangler dev`);
  log(
    `escf dev: the API (${plan.workers[0]}) listens on http://localhost:${port} — the other workers are reached through their bindings`,
  );
  const wrangler = spawnWrangler(root, plan.dev);
  let consoleProcess: ReturnType<typeof spawnWrangler> | undefined;
  if (plan.console && system.console) {
    const { file } = ensureConsoleSecrets(system, system.console);
    consoleProcess = spawnWrangler(root, plan.console.dev);
    log(
      `escf dev: the ESCF console listens on http://localhost:${plan.console.port} — sign in with ESCF_CONSOLE_PASSWORD from ${relative(root, file)}`,
    );
  }
  const stop = (signal: NodeJS.Signals) => {
    wrangler.kill(signal);
    consoleProcess?.kill(signal);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return new Promise((done) => {
    wrangler.on('exit', (code, signal) => {
      consoleProcess?.kill('SIGTERM');
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      // Stopped by a signal (Ctrl-C, or its pid killed): a normal end, not a failure.
      done(signal || code === 130 || code === 143 ? 0 : (code ?? 0));
    });
  });
}
