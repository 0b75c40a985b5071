// Keeps package-lock.json acceptable to `npm ci` when the registry in use
// does not serve every platform binary of workerd (some mirrors carry only
// Linux builds). npm then leaves those optional packages out of the
// lockfile, and `npm ci` refuses the lockfile as out of sync. This adds the
// missing entries — optional, with their os/cpu, so no platform installs a
// binary it cannot run — and changes nothing when they are already there.
// Runs as the root `postinstall`, after npm has written the lockfile.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
if (!existsSync(path)) process.exit(0);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const platforms = { darwin: 'darwin', linux: 'linux', windows: 'win32' };
const cpus = { 64: 'x64', arm64: 'arm64' };
let added = 0;
for (const [key, entry] of Object.entries(lock.packages)) {
  if (!/(^|\/)node_modules\/workerd$/.test(key)) continue;
  const base = key.slice(0, -'workerd'.length);
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const match = /^@cloudflare\/workerd-(darwin|linux|windows)-(64|arm64)$/.exec(name);
    if (!match || lock.packages[base + name]) continue;
    lock.packages[base + name] = {
      version,
      cpu: [cpus[match[2]]],
      ...(entry.dev ? { dev: true } : {}),
      license: 'Apache-2.0',
      optional: true,
      os: [platforms[match[1]]],
      engines: { node: '>=16' },
    };
    added++;
  }
}
if (added > 0) {
  lock.packages = Object.fromEntries(
    Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
  );
  writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`complete-lockfile: added ${added} platform entries for workerd`);
}
