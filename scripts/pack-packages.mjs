// Packs every public workspace package (examples are private) into one
// folder, as npm would publish them: each package's `prepack` builds its
// dist/ first. Used by the packaging checks in test/packages/, by
// bench/pack-size.mjs, and by hand: `node scripts/pack-packages.mjs <dir>`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The public (not private) packages under packages/, in dependency order. */
export const PUBLIC_PACKAGES = [
  '@escf/core',
  '@escf/testing',
  '@escf/cloudflare',
  '@escf/hono',
  '@escf/cli',
  '@escf/console',
];

/**
 * Runs `npm pack` for the public packages into `destination` and returns
 * what npm reports for each tarball (sizes in bytes, file list).
 */
export function packPublicPackages(destination) {
  mkdirSync(destination, { recursive: true });
  const output = execFileSync(
    'npm',
    ['pack', '--json', '--pack-destination', resolve(destination), ...PUBLIC_PACKAGES.flatMap((name) => ['-w', name])],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  // Lifecycle scripts (prepack) may print before npm's JSON: it starts at the first line that opens an array.
  const json = output.slice(output.search(/^\[/m));
  return JSON.parse(json).map((entry) => ({
    name: entry.name,
    version: entry.version,
    tarball: join(resolve(destination), entry.filename),
    size: entry.size,
    unpackedSize: entry.unpackedSize,
    files: entry.files.map((file) => file.path),
  }));
}

/** The package.json of a public package in this repository. */
export function packageManifest(name) {
  return JSON.parse(readFileSync(join(repoRoot, 'packages', name.replace('@escf/', ''), 'package.json'), 'utf8'));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const destination = process.argv[2] ?? join(repoRoot, 'dist', 'packages');
  for (const pack of packPublicPackages(destination)) {
    console.log(
      `${pack.tarball}  ${(pack.size / 1024).toFixed(1)} KiB packed, ${(pack.unpackedSize / 1024).toFixed(1)} KiB unpacked`,
    );
  }
}
