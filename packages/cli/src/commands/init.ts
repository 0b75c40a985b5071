import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { applyEdits, modify, type ParseError, parse } from 'jsonc-parser';
import { ConfigError } from '../config/config-error.js';
import { localPackageSpecs, ownVersion } from '../init/escf-versions.js';
import { COUNTER_AGGREGATE, COUNTER_ROUTES, systemConfigFile } from '../init/init-files.js';
import { GeneratedPaths } from '../model/naming.js';
import { describeGenerate, generate } from './generate.js';

/** Options of `escf init`. */
export interface InitOptions {
  /** The Worker project. Default: the current directory. */
  readonly dir?: string;
  /** A folder of packed `@escf/*` tarballs to depend on (`file:`) instead of registry versions. */
  readonly localPackages?: string;
  /** Skip `npm install` and `escf generate` (they need the network and the installed packages). */
  readonly install?: boolean;
  /** Version of the `@escf/*` packages to add. Default: this CLI's version. */
  readonly version?: string;
  readonly log?: (line: string) => void;
}

/** What `escf init` changed. */
export interface InitResult {
  /** Paths relative to the project. */
  readonly written: readonly string[];
  readonly changed: readonly string[];
}

const ZOD_VERSION = '4.6.7';

/**
 * `escf init`: adds ESCF to an existing Worker project without breaking it.
 * Its worker becomes the system's API worker in place: its name, settings,
 * comments and entry module stay (the generated entry re-exports the entry).
 * Adds the dependencies, TypeScript's decorator flags, `escf.config.ts`, a
 * Counter aggregate with HTTP routes to mount, then installs and generates.
 * Refuses — changing nothing — when it cannot do that safely.
 */
export async function init(options: InitOptions = {}): Promise<InitResult> {
  const dir = resolve(options.dir ?? '.');
  const log = options.log ?? console.log;
  const at = (path: string) => join(dir, path);
  const refuse = (why: string): never => {
    throw new ConfigError(`escf init changed nothing: ${why}`);
  };

  // Everything is checked before anything is written.
  if (!existsSync(at('package.json')))
    refuse(`${dir} has no package.json. Run escf init in a Worker project (or start one with npm create escf@latest).`);
  if (existsSync(at('escf.config.ts')))
    refuse('escf.config.ts already exists: this project uses ESCF. Run npx escf generate instead.');
  const wranglerFile = ['wrangler.jsonc', 'wrangler.json'].find((f) => existsSync(at(f)));
  if (!wranglerFile) {
    refuse(
      existsSync(at('wrangler.toml'))
        ? 'this project configures wrangler in wrangler.toml. ESCF edits wrangler.jsonc (keeping your comments and settings); convert the file to wrangler.jsonc first, then run escf init again.'
        : `no wrangler.jsonc in ${dir}. Run escf init at the root of a Worker project.`,
    );
  }
  if (wranglerFile !== GeneratedPaths.wrangler)
    refuse(`ESCF manages wrangler.jsonc; rename ${wranglerFile} to wrangler.jsonc first (JSON is valid JSONC).`);
  const wranglerText = readFileSync(at(wranglerFile!), 'utf8');
  const errors: ParseError[] = [];
  const wrangler = parse(wranglerText, errors, { allowTrailingComma: true }) as
    | { name?: unknown; main?: unknown }
    | undefined;
  if (errors.length > 0 || !wrangler || typeof wrangler !== 'object') refuse(`${wranglerFile} is not valid JSONC.`);
  if (typeof wrangler!.name !== 'string') refuse(`${wranglerFile} has no "name".`);
  if (typeof wrangler!.main !== 'string')
    refuse(`${wranglerFile} has no "main": escf init keeps your entry module and needs to know it.`);
  const main = (wrangler!.main as string).replace(/^\.\//, '');
  if (main === GeneratedPaths.entry) refuse(`${wranglerFile}'s main is already ESCF's generated entry.`);
  if (!/\.(m?ts|tsx?)$/.test(main) || !existsSync(at(main)))
    refuse(`main (${main}) must be an existing TypeScript module.`);
  for (const file of ['src/domain/counter.ts', 'src/counter-routes.ts', GeneratedPaths.entry, GeneratedPaths.env]) {
    if (existsSync(at(file))) refuse(`${file} already exists; escf init does not overwrite your files.`);
  }
  const packageJson = JSON.parse(readFileSync(at('package.json'), 'utf8')) as Record<
    string,
    Record<string, string> | undefined
  >;
  const hasHono = Boolean(packageJson.dependencies?.hono ?? packageJson.devDependencies?.hono);
  const workerName = wrangler!.name as string;
  const systemName =
    workerName
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^[^a-z]+/, '') || 'app';

  // Dependencies: the same version for every @escf package, or the given tarballs.
  const version = options.version ?? ownVersion();
  const local = options.localPackages === undefined ? undefined : localPackageSpecs(options.localPackages);
  const spec = (name: string) => local?.get(name) ?? version;
  const dependencies = { ...packageJson.dependencies };
  const devDependencies = { ...packageJson.devDependencies };
  const runtime = ['@escf/core', '@escf/cloudflare', ...(hasHono ? ['@escf/hono'] : [])];
  for (const name of runtime) dependencies[name] = spec(name);
  for (const name of ['@escf/cli', '@escf/testing']) devDependencies[name] = spec(name);
  dependencies.zod ??= ZOD_VERSION;
  if (!dependencies.wrangler && !devDependencies.wrangler)
    refuse('wrangler is not a dependency of this project; add it (npm i -D -E wrangler) first.');
  const updated: Record<string, unknown> = {
    ...packageJson,
    dependencies: sorted(dependencies),
    devDependencies: sorted(devDependencies),
  };
  if (local) {
    // Packed packages depend on each other by version: point those at the tarballs too (npm refers to the direct spec with `$`).
    updated.overrides = {
      ...(packageJson.overrides as object | undefined),
      ...Object.fromEntries(
        [...local.keys()].map((name) => [
          name,
          runtime.includes(name) || name === '@escf/cli' || name === '@escf/testing' ? `$${name}` : spec(name),
        ]),
      ),
    };
  }
  const scripts = { ...packageJson.scripts };
  const scriptChanges: string[] = [];
  const take = (name: string, command: string, replaceable: RegExp) => {
    if (scripts[name] === undefined || replaceable.test(scripts[name]!)) {
      if (scripts[name] !== command) scriptChanges.push(`${name}: ${scripts[name] ?? '(none)'} → ${command}`);
      scripts[name] = command;
    }
  };
  // `escf dev` also applies the local D1 migrations the event store needs; `escf deploy` the remote ones.
  take('dev', 'escf dev', /^wrangler dev\s*$/);
  take('deploy', 'escf deploy', /^wrangler deploy\s*$/);
  take('generate', 'escf generate', /^$/);
  take('check', 'escf check', /^$/);
  updated.scripts = scripts;

  const written: string[] = [];
  const changed: string[] = [];
  const write = (path: string, content: string) => {
    mkdirSync(join(at(path), '..'), { recursive: true });
    writeFileSync(at(path), content);
    written.push(path);
  };
  writeFileSync(at('package.json'), `${JSON.stringify(updated, null, 2)}\n`);
  changed.push('package.json');
  changed.push(...updateTsconfig(dir, write));
  write('escf.config.ts', systemConfigFile({ systemName, workerName, entry: `./${main}` }));
  write('src/domain/counter.ts', COUNTER_AGGREGATE);
  if (hasHono) write('src/counter-routes.ts', COUNTER_ROUTES);

  log(`escf init: added ESCF to ${workerName}.`);
  for (const path of changed) log(`  changed ${path}`);
  for (const change of scriptChanges) log(`    script ${change}`);
  for (const path of written) log(`  wrote   ${path}`);
  if (options.install === false) {
    log(
      "Next: npm install, then npx escf generate (it points wrangler.jsonc's main at the generated entry, which re-exports yours).",
    );
    return { written, changed };
  }
  const npm = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['install', '--no-audit', '--no-fund'], {
    cwd: dir,
    stdio: 'inherit',
  });
  if (npm.status !== 0)
    throw new ConfigError(
      'escf init: npm install failed (see above). Fix it, run npm install, then npx escf generate.',
    );
  log(describeGenerate(await generate({ config: at('escf.config.ts') }), at('escf.config.ts')));
  changed.push(wranglerFile!);
  log(
    hasHono
      ? "Next: mount the routes in your app — app.route('/', counterRoutes) from ./counter-routes.js — then npm run dev."
      : 'Next: send commands with aggregateClients from @escf/cloudflare (see docs/cli.md), then npm run dev.',
  );
  return { written, changed };
}

/** Sets the decorator flags ESCF needs in tsconfig.json (keeping comments), or writes one. */
function updateTsconfig(dir: string, write: (path: string, content: string) => void): string[] {
  const path = join(dir, 'tsconfig.json');
  const flags = { experimentalDecorators: true, useDefineForClassFields: false };
  if (!existsSync(path)) {
    write(
      'tsconfig.json',
      `${JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, ...flags, skipLibCheck: true, noEmit: true, types: ['@cloudflare/workers-types'] } }, null, 2)}\n`,
    );
    return [];
  }
  let text = readFileSync(path, 'utf8');
  const current =
    (parse(text, [], { allowTrailingComma: true }) as { compilerOptions?: Record<string, unknown> } | undefined)
      ?.compilerOptions ?? {};
  for (const [flag, value] of Object.entries(flags)) {
    if (current[flag] !== value)
      text = applyEdits(
        text,
        modify(text, ['compilerOptions', flag], value, { formattingOptions: { insertSpaces: true, tabSize: 2 } }),
      );
  }
  writeFileSync(path, text);
  return ['tsconfig.json'];
}

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
