import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadConfig } from '../config/config-loader.js';
import { resolveSystem } from '../config/resolve-system.js';
import { type DeployStep, deployOrder } from '../deploy/deploy-order.js';
import { withoutBindings } from '../deploy/without-bindings.js';
import { deployNodes } from '../deploy/worker-dependencies.js';
import { GeneratedPaths } from '../model/naming.js';
import type { SystemModel, WorkerModel } from '../model/system-model.js';
import { migratedDatabases, workerConfigFile } from '../wrangler/worker-databases.js';
import { runWrangler, type WranglerResult } from '../wrangler/wrangler-process.js';

/** Options of `escf deploy`. */
export interface DeployOptions {
  /** Path of `escf.config.ts`. Default: `escf.config.ts` in the current directory. */
  readonly config?: string;
  /** Bundle and validate every worker with `wrangler deploy --dry-run`; print the migrations instead of applying them. */
  readonly dryRun?: boolean;
  /** Where progress goes (one line per step). */
  readonly log?: (line: string) => void;
}

/** The step that failed, with wrangler's own words. */
export interface DeployFailure {
  readonly step: string;
  readonly workerName: string;
  readonly output: string;
}

/** What `escf deploy` did. */
export interface DeployResult {
  readonly ok: boolean;
  /** The plan, one line per step, as printed. */
  readonly plan: readonly string[];
  readonly failure?: DeployFailure;
}

/** Name of the temporary config of a first deploy without cyclic bindings; it sits next to the real one (paths in it stay valid). */
export const FIRST_DEPLOY_CONFIG = 'wrangler.escf-first-deploy.jsonc';

/**
 * `escf deploy`: applies every D1 migration (`wrangler d1 migrations apply
 * --remote`), then deploys the workers in dependency order (see
 * {@link deployOrder}). Stops at the first failing step and reports the
 * worker and wrangler's error. With `dryRun`, every worker goes through
 * `wrangler deploy --dry-run` (no account needed), including the temporary
 * config of a cycle's first deploy, and migrations are only listed.
 */
export async function deploy(options: DeployOptions = {}): Promise<DeployResult> {
  const log = options.log ?? (() => {});
  const system = resolveSystem(await loadConfig(options.config ?? 'escf.config.ts'));
  const root = join(system.configPath, '..');
  const dryRun = options.dryRun ?? false;
  const plan = deployPlan(system);
  log(`escf deploy${dryRun ? ' --dry-run' : ''}: ${system.name}, ${plan.length} steps`);
  plan.forEach((line, i) => log(`  ${i + 1}. ${line}`));

  const fail = (step: string, workerName: string, result: WranglerResult): DeployResult => {
    log(`\nescf deploy: ${step} failed (worker ${workerName}). wrangler said:\n${tail(result.output)}`);
    return { ok: false, plan, failure: { step, workerName, output: result.output } };
  };

  for (const database of migratedDatabases(system)) {
    const step = `migrate ${database.binding} (${database.worker.workerName})`;
    const args = ['d1', 'migrations', 'apply', database.binding, '--remote', '-c', database.configFile];
    if (dryRun) {
      log(`- ${step}: would run wrangler ${args.join(' ')}`);
      continue;
    }
    const result = await runWrangler(root, args);
    if (result.code !== 0) return fail(step, database.worker.workerName, result);
    log(`- ${step}: done`);
  }

  const byName = new Map(system.workers.map((w) => [w.workerName, w]));
  const provisional = new Set<string>();
  for (const step of deployOrder(deployNodes(system))) {
    const worker = byName.get(step.workerName)!;
    if (step.again && !provisional.has(worker.workerName) && !dryRun) continue; // its full config went through the first time
    const label = `deploy ${worker.workerName}${step.again ? ' (again, with every binding)' : ''}`;
    const configFile = workerConfigFile(system, worker);
    let result = await wranglerDeploy(root, configFile, dryRun);
    if (step.withoutIfRefused && dryRun && result.code !== 0) return fail(label, worker.workerName, result);
    if (step.withoutIfRefused && (dryRun || result.code !== 0)) {
      // The first deploy of a cycle: the workers it binds may not exist yet.
      const without = step.withoutIfRefused.map((d) => d.binding).join(', ');
      const refused = result;
      result = await deployWithout(root, system, worker, step, dryRun);
      if (result.code !== 0)
        return fail(`${label} without ${without}`, worker.workerName, {
          code: result.code,
          output: `${refused.output}\n${result.output}`,
        });
      provisional.add(worker.workerName);
      log(
        `- ${label}: ${dryRun ? 'checked with and' : 'deployed'} without ${without} (again at the end)${sizeOf(result)}`,
      );
      continue;
    }
    if (result.code !== 0) return fail(label, worker.workerName, result);
    log(`- ${label}: ${dryRun ? 'checked' : 'deployed'}${sizeOf(result)}`);
  }
  if (system.console) {
    // Last: its one binding is the admin entrypoint of a worker deployed above.
    const label = `deploy ${system.console.workerName}`;
    const result = await wranglerDeploy(root, consoleConfigFile(system), dryRun);
    if (result.code !== 0) return fail(label, system.console.workerName, result);
    log(`- ${label}: ${dryRun ? 'checked' : 'deployed'}${sizeOf(result)}`);
    log(CONSOLE_SECRETS_HINT);
  }
  log(
    dryRun
      ? '\nescf deploy --dry-run: every step checked; nothing was deployed.'
      : `\nescf deploy: ${system.name} is deployed.`,
  );
  return { ok: true, plan };
}

/** The steps `escf deploy` takes, as one line each. */
export function deployPlan(system: SystemModel): string[] {
  const lines = migratedDatabases(system).map(
    (d) => `wrangler d1 migrations apply ${d.binding} --remote -c ${d.configFile}`,
  );
  const byName = new Map(system.workers.map((w) => [w.workerName, w]));
  for (const step of deployOrder(deployNodes(system))) {
    const file = workerConfigFile(system, byName.get(step.workerName)!);
    const note = step.withoutIfRefused
      ? `   # first deploy of a cycle: if refused because ${step.withoutIfRefused.map((d) => d.on).join(', ')} do not exist yet, without ${step.withoutIfRefused.map((d) => d.binding).join(', ')}`
      : step.again
        ? '   # again with every binding, if the first deploy went without some'
        : '';
    lines.push(`wrangler deploy -c ${file}${note}`);
  }
  if (system.console) lines.push(`wrangler deploy -c ${consoleConfigFile(system)}   # the ESCF console, last`);
  return lines;
}

function consoleConfigFile(system: SystemModel): string {
  return relative(join(system.configPath, '..'), join(system.console!.dir, GeneratedPaths.wrangler));
}

/** The console and the admin entrypoint stay closed until their secrets exist. */
const CONSOLE_SECRETS_HINT =
  '  The console and the admin entrypoint refuse everything until their secrets are set: wrangler secret put ESCF_ADMIN_READ_TOKEN / ESCF_ADMIN_WRITE_TOKEN (admin worker), ESCF_ADMIN_TOKEN (= the write token) and ESCF_CONSOLE_PASSWORD (console worker). See docs/console.md.';

function wranglerDeploy(root: string, configFile: string, dryRun: boolean): Promise<WranglerResult> {
  return runWrangler(root, ['deploy', '-c', configFile, ...(dryRun ? ['--dry-run'] : [])]);
}

async function deployWithout(
  root: string,
  system: SystemModel,
  worker: WorkerModel,
  step: DeployStep,
  dryRun: boolean,
): Promise<WranglerResult> {
  const full = join(worker.dir, GeneratedPaths.wrangler);
  const temporary = join(worker.dir, FIRST_DEPLOY_CONFIG);
  writeFileSync(
    temporary,
    `// Temporary (escf deploy): ${worker.workerName}'s first deploy without bindings to workers that do not exist yet.\n${withoutBindings(readFileSync(full, 'utf8'), step.withoutIfRefused ?? [])}`,
  );
  try {
    return await wranglerDeploy(root, join(workerConfigFile(system, worker), '..', FIRST_DEPLOY_CONFIG), dryRun);
  } finally {
    rmSync(temporary, { force: true });
  }
}

function sizeOf(result: WranglerResult): string {
  const size = /Total Upload: ([\d.]+ KiB) \/ gzip: ([\d.]+ KiB)/.exec(result.output);
  return size ? ` (${size[1]}, gzip ${size[2]})` : '';
}

/** The end of wrangler's output: where it says what went wrong. */
function tail(output: string, lines = 25): string {
  return output
    .trim()
    .split('\n')
    .slice(-lines)
    .map((line) => `  ${line}`)
    .join('\n');
}
