// globalSetup of the outside tests: packs every publishable package once,
// into a folder under the OS temp dir, for all of them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { packPackages } from '../../scripts/outside-project.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    escfPacks: string;
  }
}

export default async function setup(project: TestProject) {
  const packs = mkdtempSync(join(tmpdir(), 'escf-packs-'));
  const started = Date.now();
  const tarballs = await packPackages(packs);
  console.log(`outside tests: packed ${tarballs.join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('escfPacks', packs);
  return () => rmSync(packs, { recursive: true, force: true });
}
