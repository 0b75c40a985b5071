// Bundle size (gzip) of every generated worker, from `wrangler deploy
// --dry-run`, and what reflect-metadata, class-validator and
// class-transformer add to a bundle. Merged into bench/results.json as
// `bundle_kb_gzip_<worker>` and `bundle_kb_gzip_dep_<package>`.
//
// Measures each example system with an escf.config.ts (examples/*), or the
// CLI's fixture system when no example has one yet.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { parse } from 'jsonc-parser';
import { useEscfSources } from '../scripts/source-conditions.mjs';
import { mergeResults } from './results.mjs';

useEscfSources(); // @escf/* from source: wrangler and esbuild below bundle the repository's packages

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = {
  ...process.env,
  PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}`,
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_SEND_METRICS: 'false',
  NO_COLOR: '1',
};

const examples = readdirSync(join(root, 'examples'))
  .map((name) => join(root, 'examples', name))
  .filter((dir) => existsSync(join(dir, 'escf.config.ts')));
const systems = examples.length > 0 ? examples : [join(root, 'packages', 'cli', 'test', 'fixtures', 'shop')];

const figures = {};
for (const system of systems) {
  // Generate into a copy: measuring must not rewrite the repository.
  const copy = mkdtempSync(join(tmpdir(), 'escf-bundle-size-'));
  try {
    cpSync(system, copy, { recursive: true, filter: (path) => !/node_modules|\.wrangler|dist$/.test(path) });
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
    execFileSync('node', [join(root, 'packages', 'cli', 'bin', 'escf.mjs'), 'generate'], {
      cwd: copy,
      env,
      stdio: 'pipe',
    });
    const managed = (dir) => existsSync(join(dir, 'escf.managed.json'));
    const workerDirs = findWorkerDirs(copy).filter(managed);
    for (const dir of workerDirs) {
      const name = parse(readFileSync(join(dir, 'wrangler.jsonc'), 'utf8')).name;
      const output = execFileSync('wrangler', ['deploy', '--dry-run', '--outdir', 'dist'], {
        cwd: dir,
        env,
        encoding: 'utf8',
        stdio: 'pipe',
      });
      const size = /gzip: ([\d.]+) KiB/.exec(output);
      if (!size) throw new Error(`no size for ${name}:\n${output}`);
      figures[`bundle_kb_gzip_${name.replace(/-/g, '_')}`] = Number(size[1]);
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

// What each validation/metadata library adds, minified and gzipped like wrangler's upload:
// the whole package, and a typical use (a few decorators and one call).
const dependencyCost = {
  reflect_metadata: `import 'reflect-metadata'; export const probe = Reflect.getMetadata;`,
  class_validator: `import { IsEmail, IsString, MinLength, validate } from 'class-validator';
class Probe { @IsString() @MinLength(1) name; @IsEmail() email; }
export const probe = () => validate(Object.assign(new Probe(), { name: 'a', email: 'a@b.c' }));`,
  class_transformer: `import { plainToInstance } from 'class-transformer'; export const probe = (c, v) => plainToInstance(c, v);`,
  // Upper bounds: everything each package exports.
  reflect_metadata_all: `import 'reflect-metadata';`,
  class_validator_all: `export * from 'class-validator';`,
  class_transformer_all: `export * from 'class-transformer';`,
  zod_all: `export * from 'zod';`,
};
for (const [name, contents] of Object.entries(dependencyCost)) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true } },
    logLevel: 'silent',
  });
  figures[`bundle_kb_gzip_dep_${name}`] =
    Math.round((gzipSync(result.outputFiles[0].contents).length / 1024) * 100) / 100;
}

mergeResults(figures);
console.log('\nBundle sizes (gzip KiB; wrangler dry run, and per dependency minified)');
console.table(figures);

function findWorkerDirs(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (existsSync(join(path, 'wrangler.jsonc'))) found.push(path);
    found.push(...findWorkerDirs(path));
  }
  return found;
}
