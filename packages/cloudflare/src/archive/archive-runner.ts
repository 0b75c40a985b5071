import { WorkerEntrypoint } from 'cloudflare:workers';
import { log } from '@escf/core/internal';
import { errorJson } from '../http/error-response.js';
import { bearerTokenMatches } from '../security/bearer-token.js';
import type { ArchiveRunReport, ArchiveStatus } from './archive-report.js';
import type { Archiver } from './archiver.js';

/** What {@link runArchiveBatches} did over several bounded runs. */
export interface ArchiveBatchesReport {
  readonly runs: number;
  readonly events: number;
  readonly rows: number;
  readonly segments: number;
  readonly d1Bytes: number;
  readonly r2Bytes: number;
  readonly prunedDurableObjectEvents: number;
  /** True when the invocation's budget ran out with more to archive (the next schedule continues). */
  readonly more: boolean;
  readonly warnings: readonly string[];
  readonly status: ArchiveStatus;
}

/** Limits of one invocation. */
export interface ArchiveBudget {
  /** Most archiver runs per invocation. Defaults to 10. */
  readonly maxRuns?: number;
  /** Stop starting new runs after this much wall time, in ms. Defaults to 20,000. */
  readonly timeBudgetMs?: number;
}

/**
 * Runs the archiver repeatedly — each run bounded by its own row budget —
 * until nothing is left or the invocation's budget is spent.
 */
export async function runArchiveBatches(archiver: Archiver, budget: ArchiveBudget = {}): Promise<ArchiveBatchesReport> {
  const maxRuns = budget.maxRuns ?? 10;
  const deadline = Date.now() + (budget.timeBudgetMs ?? 20_000);
  const reports: ArchiveRunReport[] = [];
  let last: ArchiveRunReport | undefined;
  do {
    last = await archiver.run();
    reports.push(last);
  } while (last.more && reports.length < maxRuns && Date.now() < deadline);
  const sum = (key: 'events' | 'rows' | 'segments' | 'd1Bytes' | 'r2Bytes' | 'prunedDurableObjectEvents') =>
    reports.reduce((total, r) => total + r[key], 0);
  return {
    runs: reports.length,
    events: sum('events'),
    rows: sum('rows'),
    segments: sum('segments'),
    d1Bytes: sum('d1Bytes'),
    r2Bytes: sum('r2Bytes'),
    prunedDurableObjectEvents: sum('prunedDurableObjectEvents'),
    more: last.more,
    warnings: [...new Set(reports.flatMap((r) => r.warnings))],
    status: last.status,
  };
}

/** Options of {@link archiveOnSchedule} and {@link archiveAdminEntrypoint}. */
export interface ArchiveRunnerOptions<Env> extends ArchiveBudget {
  /** Builds the archiver from the worker's bindings (an `EventArchiver`, or a `ShardedEventArchiver` for a sharded store). */
  readonly archiver: (env: Env) => Archiver;
  /** Called with each scheduled invocation's report (defaults to one `info` record through ESCF's logger). */
  readonly onReport?: (report: ArchiveBatchesReport, env: Env) => void | Promise<void>;
}

/**
 * A `scheduled` handler (cron trigger) that archives within the budget and
 * logs what it moved and what D1 holds.
 *
 * @example
 * ```ts
 * // wrangler.jsonc: "triggers": { "crons": ["*\/15 * * * *"] }, "r2_buckets": [{ "binding": "ESCF_ARCHIVE", … }]
 * export default {
 *   scheduled: archiveOnSchedule({ archiver: (env: Env) => new EventArchiver(env.ESCF_EVENTS, env.ESCF_ARCHIVE, { retention }) }),
 * };
 * ```
 */
export function archiveOnSchedule<Env>(
  options: ArchiveRunnerOptions<Env>,
): (controller: ScheduledController, env: Env, ctx: ExecutionContext) => Promise<void> {
  return async (_controller, env) => {
    const report = await runArchiveBatches(options.archiver(env), options);
    if (options.onReport) await options.onReport(report, env);
    else log({ level: 'info', message: 'archive run', ...report });
  };
}

/** The admin RPC surface of {@link archiveAdminEntrypoint}. */
export interface ArchiveAdmin {
  /** Archives now (within the budget) and reports. */
  runArchive(budget?: ArchiveBudget): Promise<ArchiveBatchesReport>;
  /** What D1 and the archive hold. */
  archiveStatus(): Promise<ArchiveStatus>;
  /** Deletes uncommitted segment objects older than `olderThanMs` (default one day). */
  sweepOrphans(olderThanMs?: number): Promise<{ deleted: string[] }>;
}

/** The class {@link archiveAdminEntrypoint} returns: export it from a worker. */
export type ArchiveAdminEntrypointClass<Env> = new (
  ctx: ExecutionContext,
  env: Env,
) => WorkerEntrypoint<Env> & ArchiveAdmin;

/**
 * A `WorkerEntrypoint` for operators: RPC methods `runArchive`, `archiveStatus`
 * and `sweepOrphans` for other workers (service binding with `entrypoint`),
 * and the same over HTTP for scripts and the CLI — `GET /archive/status`,
 * `POST /archive/run`, `POST /archive/sweep` — when the request carries
 * `Authorization: Bearer <token>` matching the `tokenBinding` secret
 * (HTTP is refused if that secret is not set).
 *
 * @example
 * ```ts
 * export const ArchiveAdmin = archiveAdminEntrypoint({ archiver: (env: Env) => new EventArchiver(...), tokenBinding: 'ESCF_ADMIN_TOKEN' });
 * // another worker: services: [{ binding: "ARCHIVE", service: "my-app", entrypoint: "ArchiveAdmin" }]
 * const report = await env.ARCHIVE.runArchive();
 * ```
 */
export function archiveAdminEntrypoint<Env>(
  options: ArchiveRunnerOptions<Env> & { readonly tokenBinding?: string },
): ArchiveAdminEntrypointClass<Env> {
  return class extends WorkerEntrypoint<Env> implements ArchiveAdmin {
    runArchive(budget: ArchiveBudget = {}): Promise<ArchiveBatchesReport> {
      return runArchiveBatches(options.archiver(this.env), { ...options, ...budget });
    }

    archiveStatus(): Promise<ArchiveStatus> {
      return options.archiver(this.env).status();
    }

    sweepOrphans(olderThanMs?: number): Promise<{ deleted: string[] }> {
      return options.archiver(this.env).sweepOrphans(olderThanMs);
    }

    override async fetch(request: Request): Promise<Response> {
      const token = options.tokenBinding ? (this.env as Record<string, unknown>)[options.tokenBinding] : undefined;
      if (!(await bearerTokenMatches(request, token))) {
        return errorJson(
          401,
          'UNAUTHORIZED',
          'Send Authorization: Bearer <admin token>; HTTP is closed unless the token secret is set.',
        );
      }
      const { pathname } = new URL(request.url);
      if (request.method === 'GET' && pathname === '/archive/status') return Response.json(await this.archiveStatus());
      if (request.method === 'POST' && pathname === '/archive/run') return Response.json(await this.runArchive());
      if (request.method === 'POST' && pathname === '/archive/sweep') return Response.json(await this.sweepOrphans());
      return errorJson(404, 'ROUTE_NOT_FOUND', `No route for ${request.method} ${pathname}`, {
        routes: ['GET /archive/status', 'POST /archive/run', 'POST /archive/sweep'],
      });
    }
  };
}
