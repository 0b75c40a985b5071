import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoBin = join(dirname(fileURLToPath(import.meta.resolve('wrangler/package.json'))), '..', '.bin');

/** What `wrangler deploy --dry-run` reports for one worker. */
export interface DryRunResult {
  readonly totalKiB: number;
  readonly gzipKiB: number;
  /** Lines like `env.USER_AGGREGATE (UserAggregate)`. */
  readonly bindings: readonly string[];
  readonly output: string;
}

/** Runs wrangler offline (Node 22 from node_modules/.bin first on PATH) and parses its report. */
export async function dryRun(workerDir: string): Promise<DryRunResult> {
  const { stdout, stderr } = await run('wrangler', ['deploy', '--dry-run', '--outdir', 'dist'], {
    cwd: workerDir,
    env: {
      ...process.env,
      PATH: `${repoBin}:${process.env.PATH}`,
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      WRANGLER_SEND_METRICS: 'false',
      NO_COLOR: '1',
    },
  }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(
      `wrangler deploy --dry-run failed in ${workerDir}:\n${error.stdout ?? ''}\n${error.stderr ?? error.message}`,
    );
  });
  const output = `${stdout}\n${stderr}`;
  const size = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(output);
  if (!size) throw new Error(`No upload size in wrangler's output:\n${output}`);
  return {
    totalKiB: Number(size[1]),
    gzipKiB: Number(size[2]),
    bindings: [...output.matchAll(/^(env\.\S+ \([^)]*\))/gm)].map((m) => m[1]!),
    output,
  };
}
