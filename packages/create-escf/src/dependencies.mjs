// @ts-check
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The version of this create-escf: the @escf packages are released together with it, under one version. */
export function ownVersion() {
  return /** @type {{ version: string }} */ (
    JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  ).version;
}

/**
 * `file:` specs for packed tarballs (`escf-core-0.1.0.tgz` → `@escf/core`) in
 * `folder`: how a project tries ESCF before a release.
 *
 * @param {string} folder
 * @returns {Map<string, string>}
 */
export function localPackageSpecs(folder) {
  const dir = resolve(folder);
  if (!existsSync(dir)) throw new UsageError(`--local-packages: ${dir} does not exist.`);
  const specs = new Map();
  for (const file of readdirSync(dir)) {
    const match = /^escf-([a-z-]+?)-\d+\.\d+\.\d+(?:-[\w.]+)?\.tgz$/.exec(file);
    if (match) specs.set(`@escf/${match[1]}`, `file:${join(dir, file)}`);
  }
  if (specs.size === 0)
    throw new UsageError(
      `--local-packages: no escf-<name>-<version>.tgz tarballs in ${dir} (make them with npm pack --workspaces).`,
    );
  return specs;
}

/**
 * Writes the project's package.json: its name, and every `@escf/*`
 * dependency pinned to `version` — or to the local tarballs, with
 * `overrides` so that the packages' dependencies on each other use them too.
 *
 * @param {string} target
 * @param {{ name: string, version: string, local?: Map<string, string> }} options
 */
export function pinDependencies(target, { name, version, local }) {
  const path = join(target, 'package.json');
  const pkg = JSON.parse(readFileSync(path, 'utf8'));
  pkg.name = name;
  /** @type {Record<string, string>} */
  const overrides = {};
  for (const field of ['dependencies', 'devDependencies']) {
    for (const dependency of Object.keys(pkg[field] ?? {})) {
      if (!dependency.startsWith('@escf/')) continue;
      const localSpec = local?.get(dependency);
      if (local && !localSpec)
        throw new UsageError(
          `--local-packages: no tarball for ${dependency} (expected ${dependency.replace('@escf/', 'escf-')}-<version>.tgz).`,
        );
      pkg[field][dependency] = localSpec ?? version;
      if (localSpec) overrides[dependency] = `$${dependency}`;
    }
  }
  if (local) {
    // Tarballs the project does not depend on directly can still be dependencies of the ones it does.
    for (const [dependency, spec] of local) overrides[dependency] ??= spec;
    pkg.overrides = overrides;
  }
  writeFileSync(path, `${JSON.stringify(pkg, null, 2)}\n`);
}

/** A mistake in the command line: printed as is, exit code 2. */
export class UsageError extends Error {}
