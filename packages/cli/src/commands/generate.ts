import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { type CommandOptions, planFromConfig } from './load-system.js';

/** What `escf generate` did. */
export interface GenerateResult {
  /** Absolute paths of files written (created or changed). */
  readonly written: readonly string[];
  /** Absolute paths of files that were already up to date. */
  readonly unchanged: readonly string[];
}

/**
 * `escf generate`: writes every worker's entry module, Env type, migrations
 * and merged wrangler.jsonc. Files already up to date are not touched, so a
 * second run changes nothing. Nothing is written when the config is invalid.
 */
export async function generate(options: CommandOptions = {}): Promise<GenerateResult> {
  const { files } = await planFromConfig(options);
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const file of files) {
    if (existsSync(file.path) && readFileSync(file.path, 'utf8') === file.content) {
      unchanged.push(file.path);
      continue;
    }
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.content);
    written.push(file.path);
  }
  return { written, unchanged };
}

/** A short human summary, paths relative to the config's directory. */
export function describeGenerate(result: GenerateResult, configPath: string): string {
  const base = join(configPath, '..');
  if (result.written.length === 0) return `escf generate: all ${result.unchanged.length} files up to date.`;
  return [
    `escf generate: wrote ${result.written.length} file(s), ${result.unchanged.length} up to date:`,
    ...result.written.map((p) => `  ${relative(base, p)}`),
  ].join('\n');
}
