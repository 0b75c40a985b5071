import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'jsonc-parser';
import { ConfigError } from '../config/config-error.js';
import { GeneratedPaths } from '../model/naming.js';
import type { SystemModel, WorkerModel } from '../model/system-model.js';

/** A D1 database whose migrations one worker's wrangler.jsonc owns (it names a `migrations_dir`). */
export interface MigratedDatabase {
  readonly worker: WorkerModel;
  readonly binding: string;
  /** The worker's wrangler.jsonc, relative to the project (the config's directory). */
  readonly configFile: string;
}

/** The path of a worker's wrangler.jsonc relative to the project root, as wrangler's `-c` takes it. */
export function workerConfigFile(system: SystemModel, worker: WorkerModel): string {
  return relative(join(system.configPath, '..'), join(worker.dir, GeneratedPaths.wrangler)) || GeneratedPaths.wrangler;
}

/**
 * Every database some worker migrates. A database bound by several workers
 * (the event store) is migrated by the one whose entry names its
 * `migrations_dir`, exactly once.
 */
export function migratedDatabases(system: SystemModel): MigratedDatabase[] {
  const databases: MigratedDatabase[] = [];
  for (const worker of system.workers) {
    const configFile = workerConfigFile(system, worker);
    const path = join(worker.dir, GeneratedPaths.wrangler);
    if (!existsSync(path)) throw new ConfigError(`${configFile} does not exist. Run \`npx escf generate\` first.`);
    const config = parse(readFileSync(path, 'utf8'), [], { allowTrailingComma: true }) as
      | { d1_databases?: { binding?: string; migrations_dir?: string }[] }
      | undefined;
    for (const entry of config?.d1_databases ?? []) {
      if (typeof entry.binding === 'string' && typeof entry.migrations_dir === 'string')
        databases.push({ worker, binding: entry.binding, configFile });
    }
  }
  return databases;
}
