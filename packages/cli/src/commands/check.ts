import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { unifiedDiff } from '../diff/line-diff.js';
import { type CommandOptions, planFromConfig } from './load-system.js';

/** One file that differs from what `escf generate` would write. */
export interface StaleFile {
  readonly path: string;
  readonly diff: string;
}

/** What `escf check` found. */
export interface CheckResult {
  readonly ok: boolean;
  readonly stale: readonly StaleFile[];
  readonly checked: number;
  /** The report to print. */
  readonly report: string;
}

/**
 * `escf check`: plans the generation in memory and compares it with the
 * files on disk. Any difference — a stale generated file, a missing one, or
 * a hand edit to a binding ESCF manages — is reported as a unified diff
 * (current → expected); `ok` is false so CI fails.
 */
export async function check(options: CommandOptions = {}): Promise<CheckResult> {
  const { system, files } = await planFromConfig(options);
  const base = join(system.configPath, '..');
  const stale: StaleFile[] = [];
  for (const file of files) {
    const current = existsSync(file.path) ? readFileSync(file.path, 'utf8') : undefined;
    if (current === file.content) continue;
    const label = relative(base, file.path);
    stale.push({
      path: file.path,
      diff:
        current === undefined
          ? `missing: ${label}`
          : unifiedDiff(current, file.content, `${label} (on disk)`, `${label} (escf generate)`),
    });
  }
  const report =
    stale.length === 0
      ? `escf check: all ${files.length} generated files are up to date.`
      : [
          `escf check: ${stale.length} of ${files.length} files differ from what \`escf generate\` writes.`,
          `Run \`npx escf generate\` (a hand edit to an ESCF-managed field will be overwritten; move such settings to escf.config.ts).`,
          '',
          ...stale.map((s) => `${s.diff}\n`),
        ].join('\n');
  return { ok: stale.length === 0, stale, checked: files.length, report };
}
