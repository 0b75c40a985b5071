import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Core from '@escf/core/internal';
import { build, type Message, type Plugin } from 'esbuild';
import { ConfigError } from './config-error.js';
import type { SystemConfig } from './define-system.js';

/** What loading `escf.config.ts` yields: the config and the modules it names, from one bundle. */
export interface LoadedConfig {
  readonly configPath: string;
  readonly config: SystemConfig;
  /** Module namespaces of every `from` module, keyed by absolute path: used to find each class's export name. */
  readonly modules: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  /**
   * `@escf/core` as bundled with the config. Decorator metadata lives in
   * core's module state, so classes must be described by this very copy,
   * not by the one the CLI itself imports.
   */
  readonly core: typeof Core;
}

/**
 * Loads a TypeScript system definition without a build step. Decorators are
 * not erasable syntax, so Node's type stripping cannot run it: esbuild
 * bundles it (with the `from` modules, so classes keep one identity) to a
 * temporary `.mjs`, which is imported and deleted.
 */
export async function loadConfig(configPath: string): Promise<LoadedConfig> {
  const absolute = resolve(configPath);
  if (!existsSync(absolute)) {
    throw new ConfigError(
      `No system definition at ${absolute}. Create escf.config.ts (see docs/codegen.md) or pass --config <path>.`,
    );
  }
  // Pass 1 finds out which modules the config names; pass 2 bundles them with it.
  const first = await importBundle(absolute, []);
  const config = readDefault(first, absolute);
  const fromModules = collectFromModules(config, dirname(absolute));
  const second = fromModules.length === 0 ? first : await importBundle(absolute, fromModules);
  const modules = new Map<string, Record<string, unknown>>();
  fromModules.forEach((path, i) => modules.set(path, second[`module${i}`] as Record<string, unknown>));
  return { configPath: absolute, config: readDefault(second, absolute), modules, core: second.core as typeof Core };
}

function readDefault(bundle: Record<string, unknown>, configPath: string): SystemConfig {
  const config = bundle.config;
  if (config === null || typeof config !== 'object') {
    throw new ConfigError(
      `${configPath} must \`export default defineSystem({ ... })\` (its default export is ${config === undefined ? 'missing' : typeof config}).`,
    );
  }
  return config as SystemConfig;
}

/** Absolute paths of the `from` modules (and the retention module), validated only as far as needed to find them. */
function collectFromModules(config: SystemConfig, baseDir: string): string[] {
  const workers = (config as { workers?: unknown }).workers;
  if (workers === null || typeof workers !== 'object') return [];
  const paths = new Set<string>();
  for (const worker of Object.values(workers as Record<string, unknown>)) {
    const from = (worker as { from?: unknown } | null)?.from;
    if (typeof from === 'string') paths.add(resolve(baseDir, from));
  }
  // The retention policies module (`archive.retention`): loaded to check it; a missing one is reported by resolveSystem.
  const retention = (config as { archive?: { retention?: unknown } }).archive?.retention;
  if (typeof retention === 'string' && existsSync(resolve(baseDir, retention))) paths.add(resolve(baseDir, retention));
  return [...paths];
}

async function importBundle(configPath: string, fromModules: readonly string[]): Promise<Record<string, unknown>> {
  const lines = [
    `export { default as config } from ${JSON.stringify(configPath)};`,
    `export * as core from '@escf/core/internal';`,
    ...fromModules.map((path, i) => `export * as module${i} from ${JSON.stringify(path)};`),
  ];
  const outDir = mkdtempSync(join(tmpdir(), 'escf-config-'));
  const outFile = join(outDir, 'escf.config.bundle.mjs');
  try {
    let code: string;
    try {
      const result = await build({
        stdin: {
          contents: lines.join('\n'),
          resolveDir: dirname(configPath),
          sourcefile: 'escf-config-loader.ts',
          loader: 'ts',
        },
        bundle: true,
        write: false,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        keepNames: true, // class names appear in error messages
        logLevel: 'silent',
        // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
        banner: {
          js: "import { createRequire as __escfRequire } from 'node:module'; const require = __escfRequire(import.meta.url);",
        },
        plugins: [workersRuntimeShim],
        conditions: extraBuildConditions(),
      });
      code = result.outputFiles[0]!.text;
    } catch (error) {
      throw new ConfigError(
        `Cannot bundle ${configPath}:\n${formatMessages((error as { errors?: Message[] }).errors ?? [], error)}`,
      );
    }
    writeFileSync(outFile, code);
    try {
      return (await import(pathToFileURL(outFile).href)) as Record<string, unknown>;
    } catch (error) {
      // Decorators validate while classes are defined: a DefinitionError here names the class.
      const message = error instanceof Error ? error.message : String(error);
      throw new ConfigError(`Loading ${configPath} failed: ${message}`);
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/**
 * `cloudflare:*` modules exist only in workerd. The CLI never runs the
 * classes it reads, it only reads their decorator metadata, so base classes
 * like `WorkflowEntrypoint` are replaced by empty stand-ins when loading.
 */
const workersRuntimeShim: Plugin = {
  name: 'escf-workers-runtime-shim',
  setup(b) {
    b.onResolve({ filter: /^cloudflare:/ }, (args) => ({ path: args.path, namespace: 'escf-shim' }));
    b.onLoad({ filter: /.*/, namespace: 'escf-shim' }, () => ({
      loader: 'js',
      contents: `class Base { constructor(ctx, env) { this.ctx = ctx; this.env = env; } }
export class DurableObject extends Base {}
export class WorkerEntrypoint extends Base {}
export class WorkflowEntrypoint extends Base {}
export class RpcTarget {}
export const env = {};
export function waitUntil() {}`,
    }));
  },
};

function formatMessages(messages: readonly Message[], fallback: unknown): string {
  if (messages.length === 0) return `  ${fallback instanceof Error ? fallback.message : String(fallback)}`;
  return messages
    .map((m) =>
      m.location ? `  ${m.location.file}:${m.location.line}:${m.location.column}: ${m.text}` : `  ${m.text}`,
    )
    .join('\n');
}

/**
 * Extra package export conditions for bundling the config, from
 * `ESCF_BUILD_CONDITIONS` (comma-separated). ESCF's own repository sets
 * `escf-source` to load its packages from source; projects need none.
 */
function extraBuildConditions(): string[] {
  return (process.env.ESCF_BUILD_CONDITIONS ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
}
