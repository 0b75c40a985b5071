import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../config/config-error.js';

/**
 * The version of this `@escf/cli`: every `@escf/*` package is released with
 * the same version, so it is also the one to install. Found from the
 * running `escf` binary (`bin/escf.mjs` inside the package).
 */
export function ownVersion(): string {
  let dir = dirname(realpathSync(process.argv[1] ?? '.'));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (name === '@escf/cli' && version) return version;
    }
    if (dirname(dir) === dir)
      throw new ConfigError('Cannot tell which ESCF version to install: run escf from an installed @escf/cli.');
    dir = dirname(dir);
  }
}

/**
 * `file:` specs for packed tarballs (`escf-core-0.1.0.tgz` → `@escf/core`) in
 * `folder`: how a project tries packages before they are published.
 */
export function localPackageSpecs(folder: string): Map<string, string> {
  const dir = resolve(folder);
  if (!existsSync(dir)) throw new ConfigError(`--local-packages: ${dir} does not exist.`);
  const specs = new Map<string, string>();
  for (const file of readdirSync(dir)) {
    const match = /^escf-([a-z-]+?)-\d+\.\d+\.\d+(?:-[\w.]+)?\.tgz$/.exec(file);
    if (match) specs.set(`@escf/${match[1]}`, `file:${join(dir, file)}`);
  }
  if (specs.size === 0)
    throw new ConfigError(
      `--local-packages: no escf-<name>-<version>.tgz tarballs in ${dir} (make them with npm pack --workspaces).`,
    );
  return specs;
}
