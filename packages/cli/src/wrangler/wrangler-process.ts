import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ConfigError } from '../config/config-error.js';

/** What one wrangler run printed and how it ended. */
export interface WranglerResult {
  readonly code: number;
  readonly output: string;
}

/**
 * The project's own wrangler, run with the Node that runs escf (npm scripts
 * and npx put the project's Node first on PATH): the version the project
 * pinned, not whatever a global install offers.
 */
export function wranglerBin(projectDir: string): string {
  const require = createRequire(join(projectDir, 'package.json'));
  let manifestPath: string;
  try {
    manifestPath = require.resolve('wrangler/package.json');
  } catch {
    throw new ConfigError(
      `wrangler is not installed in ${projectDir}. Add it: npm install -D -E wrangler (and run npm install).`,
    );
  }
  const { bin } = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: string | Record<string, string> };
  return join(dirname(manifestPath), typeof bin === 'string' ? bin : bin.wrangler!);
}

/** Offline-friendly and quiet: no Request.cf download, no telemetry. */
export function wranglerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', ...process.env, ...extra };
}

/** Runs wrangler to completion and captures its output (stdin closed: wrangler never waits for an answer). */
export function runWrangler(projectDir: string, args: readonly string[]): Promise<WranglerResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [wranglerBin(projectDir), ...args], {
      cwd: projectDir,
      env: wranglerEnv({ NO_COLOR: '1', FORCE_COLOR: '0', CI: process.env.CI ?? '1' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => resolve({ code: 1, output: `${output}\n${error.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Starts wrangler with its output on this terminal (escf dev). */
export function spawnWrangler(projectDir: string, args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [wranglerBin(projectDir), ...args], {
    cwd: projectDir,
    env: wranglerEnv(),
    stdio: 'inherit',
  });
}
