// @ts-check
// Working with ESCF from outside this repository, as a user would: pack the
// packages, scaffold or install from the tarballs into a folder under the OS
// temp dir, run the project's own commands. Shared by the outside tests
// (test/outside/) and bench/scaffold.mjs.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repository = fileURLToPath(new URL('..', import.meta.url));

/** The publishable packages, by workspace name. */
export const PACKAGES = [
  '@escf/core',
  '@escf/cloudflare',
  '@escf/hono',
  '@escf/testing',
  '@escf/cli',
  '@escf/console',
  'create-escf',
];

/**
 * The environment of every command: offline-friendly wrangler, no colours,
 * npm quiet about audits and funding and preferring its cache (CI's npm ci
 * has just filled it with the same versions).
 *
 * @param {string} [cwd] a project whose node_modules/.bin (Node 22, wrangler, escf) goes first on PATH
 */
export function projectEnv(cwd) {
  /** @type {NodeJS.ProcessEnv} */
  const env = {
    ...process.env,
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    WRANGLER_SEND_METRICS: 'false',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_prefer_offline: 'true',
    npm_config_update_notifier: 'false',
  };
  // Settings of an npm script that runs this (e.g. the repository's `npm test`) must not leak into the project.
  for (const key of Object.keys(env)) {
    if (
      /^npm_(package|lifecycle)_|^npm_config_(workspace|workspaces|include_workspace_root|prefix|local_prefix)$/.test(
        key,
      )
    )
      delete env[key];
  }
  delete env.INIT_CWD;
  // This repository's tests resolve @escf/* to their sources (scripts/source-conditions.mjs); the project must use what it installed.
  delete env.WRANGLER_BUILD_CONDITIONS;
  delete env.ESCF_BUILD_CONDITIONS;
  if (cwd) env.PATH = [join(cwd, 'node_modules', '.bin'), env.PATH].join(delimiter);
  return env;
}

/**
 * Runs one step; on failure, throws an error that names the step and ends
 * with its output, so a red test says what broke.
 *
 * @param {string} step what this is, for the error message
 * @param {string} command
 * @param {readonly string[]} args
 * @param {{ cwd: string, timeoutMs?: number }} options
 * @returns {Promise<string>} stdout and stderr
 */
export function step(step, command, args, { cwd, timeoutMs = 300_000 }) {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      { cwd, env: projectEnv(cwd), timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (error)
          reject(
            new Error(
              `${step} failed (${command} ${args.join(' ')} in ${cwd}, exit ${error.code ?? error.signal}):\n${tail(output)}`,
            ),
          );
        else resolve(output);
      },
    );
  });
}

/**
 * Packs every publishable package into `destination` (npm pack runs each
 * package's own prepack build); returns the tarball file names.
 *
 * @param {string} destination
 */
export async function packPackages(destination) {
  mkdirSync(destination, { recursive: true });
  await step(
    'npm pack',
    'npm',
    ['pack', ...PACKAGES.flatMap((name) => ['-w', name]), '--pack-destination', destination],
    { cwd: repository, timeoutMs: 600_000 },
  );
  const tarballs = readdirSync(destination).filter((file) => file.endsWith('.tgz'));
  if (tarballs.length !== PACKAGES.length)
    throw new Error(`npm pack made ${tarballs.join(', ')}; expected one tarball per package (${PACKAGES.join(', ')}).`);
  return tarballs;
}

/**
 * Runs the packed scaffolder (extracted from its tarball) as `npm create escf` would.
 *
 * @param {{ packs: string, parent: string, name: string, template?: string }} options
 */
export async function scaffold({ packs, parent, name, template = 'minimal' }) {
  const tarball = readdirSync(packs).find((file) => /^create-escf-.*\.tgz$/.test(file));
  if (!tarball) throw new Error(`no create-escf tarball in ${packs}`);
  // Its own folder per call: several scaffolds may run at once in one parent.
  const extracted = mkdtempSync(join(parent, '.create-escf-'));
  await step('extract create-escf', 'tar', ['xzf', join(packs, tarball), '-C', extracted], { cwd: parent });
  return step(
    'create-escf',
    process.execPath,
    [
      join(extracted, 'package', 'bin', 'create-escf.mjs'),
      name,
      '--template',
      template,
      '--yes',
      '--local-packages',
      packs,
    ],
    {
      cwd: parent,
      timeoutMs: 600_000,
    },
  );
}

/** A port nobody listens on right now. */
export function freePort() {
  return /** @type {Promise<number>} */ (
    new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    })
  );
}

/**
 * `npm run dev` in a project, on free ports; resolves once the API answers.
 * `stop()` ends the whole process group it started (npm, escf, wrangler,
 * workerd) and waits for it.
 *
 * @param {string} cwd
 * @param {{ readyPath: string, timeoutMs?: number }} options
 */
export async function startDev(cwd, { readyPath, timeoutMs = 120_000 }) {
  const port = await freePort();
  const inspectorPort = await freePort();
  const child = spawn('npm', ['run', 'dev', '--', '--port', String(port), '--inspector-port', String(inspectorPort)], {
    cwd,
    env: projectEnv(cwd),
    detached: true, // its own process group: stop() ends wrangler and workerd with it
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-(/** @type {number} */ (child.pid)), 'SIGKILL');
      } catch {
        // already gone
      }
    }, 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`npm run dev exited with ${child.exitCode} before answering:\n${tail(output)}`);
    try {
      const response = await fetch(`${url}${readyPath}`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `npm run dev did not answer ${readyPath} on ${url} within ${timeoutMs / 1000} s:\n${tail(output)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { url, stop, output: () => output };
}

/**
 * @param {string} output
 * @param {number} [lines]
 */
function tail(output, lines = 60) {
  return output.trim().split('\n').slice(-lines).join('\n');
}
