import { dirname } from 'node:path';
import { loadConfig } from '../config/config-loader.js';
import { resolveSystem } from '../config/resolve-system.js';
import { cloudflarePackageDir, type MigrationSources, readMigrationSources } from '../generate/migrations-generator.js';
import { type PlannedFile, planSystem } from '../generate/system-plan.js';
import type { SystemModel } from '../model/system-model.js';

/** Options shared by `generate` and `check`. */
export interface CommandOptions {
  /** Path of `escf.config.ts`. Default: `escf.config.ts` in the current directory. */
  readonly config?: string;
  /** Where the runtime's SQL comes from; tests point it at a fixture. Default: the installed `@escf/cloudflare`. */
  readonly cloudflarePackageDir?: string;
}

/** Loads the config, resolves it and plans every file. */
export async function planFromConfig(
  options: CommandOptions,
): Promise<{ system: SystemModel; files: PlannedFile[]; sources: MigrationSources }> {
  const loaded = await loadConfig(options.config ?? 'escf.config.ts');
  const system = resolveSystem(loaded);
  const sources = readMigrationSources(
    options.cloudflarePackageDir ?? cloudflarePackageDir(dirname(system.configPath)),
  );
  return { system, files: planSystem(system, sources), sources };
}
