// Tarball size of every public package, as `npm pack` makes it (each
// package's prepack builds dist/ first): `pack_kb_<package>` is the .tgz,
// `pack_kb_<package>_unpacked` what it unpacks to, in KiB.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packPublicPackages } from '../scripts/pack-packages.mjs';
import { mergeResults } from './results.mjs';

const dir = mkdtempSync(join(tmpdir(), 'escf-pack-size-'));
try {
  const figures = {};
  const table = {};
  for (const pack of packPublicPackages(dir)) {
    const key = `pack_kb_${pack.name.replace('@escf/', '')}`;
    figures[key] = Math.round((pack.size / 1024) * 10) / 10;
    figures[`${key}_unpacked`] = Math.round((pack.unpackedSize / 1024) * 10) / 10;
    table[pack.name] = {
      'packed KiB': figures[key],
      'unpacked KiB': figures[`${key}_unpacked`],
      files: pack.files.length,
    };
  }
  mergeResults(figures);
  console.log('\nPackage tarballs (npm pack)');
  console.table(table);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
