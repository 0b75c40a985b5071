import { log } from '@escf/core/internal';
import { type ArchiveRunnerOptions, archiveOnSchedule } from './archive-runner.js';

/** Options of {@link withArchiveSchedule}. */
export interface ArchiveScheduleOptions<Env> extends ArchiveRunnerOptions<Env> {
  /** The archiver's cron trigger, exactly as in wrangler's `triggers.crons`: invocations of this cron archive. */
  readonly cron: string;
}

/** The handlers of an exported object that workerd calls besides `scheduled`. */
const OTHER_HANDLERS = ['fetch', 'queue', 'email', 'tail', 'trace', 'test'] as const;

type ScheduledHandler<Env> = (controller: ScheduledController, env: Env, ctx: ExecutionContext) => Promise<void>;

/** A `WorkerEntrypoint` subclass as a default export: `scheduled` takes only the controller; `env` and `ctx` are fields. */
type EntrypointClass = abstract new (...args: any[]) => { scheduled?(controller: ScheduledController): unknown };

/**
 * Adds the archiver's cron to a worker's default export: an invocation of
 * `options.cron` runs the archiver ({@link archiveOnSchedule}); every other
 * cron goes to the handler's own `scheduled`, if it has one. `handler` is
 * the worker's own default export — an object of handlers (a Hono app
 * works), a `WorkerEntrypoint` class, or undefined — and keeps every other
 * handler. `escf generate` wraps a worker's entry with it when
 * `escf.config.ts` has `archive`.
 *
 * @example
 * ```ts
 * export default withArchiveSchedule(app, { cron: '*\/15 * * * *', archiver: (env: Env) => new EventArchiver(…) });
 * ```
 */
export function withArchiveSchedule<Env, H extends object | undefined>(
  handler: H,
  options: ArchiveScheduleOptions<Env>,
): H extends abstract new (...args: any[]) => unknown ? H : ExportedHandler<Env> {
  const archive = archiveOnSchedule(options);
  if (typeof handler === 'function') {
    const Base = handler as EntrypointClass;
    // A subclass of the user's own entrypoint: workerd constructs it with (ctx, env) as before.
    const Composed = class extends Base {
      override async scheduled(controller: ScheduledController): Promise<void> {
        const self = this as unknown as { env: Env; ctx: ExecutionContext };
        if (controller.cron === options.cron) return archive(controller, self.env, self.ctx);
        if (typeof super.scheduled === 'function') await super.scheduled(controller);
        else unhandled(controller);
      }
    };
    return Composed as never;
  }
  const own = handler as Partial<ExportedHandler<Env>> | undefined;
  const composed: Record<string, unknown> = {};
  for (const name of OTHER_HANDLERS) {
    const method = own?.[name];
    if (typeof method === 'function') composed[name] = method.bind(own);
  }
  const scheduled: ScheduledHandler<Env> = async (controller, env, ctx) => {
    if (controller.cron === options.cron) return archive(controller, env, ctx);
    if (typeof own?.scheduled === 'function') await own.scheduled(controller, env, ctx);
    else unhandled(controller);
  };
  composed.scheduled = scheduled;
  return composed as never;
}

/** A cron trigger nobody handles: wrangler.jsonc lists a cron the worker has no job for. */
function unhandled(controller: ScheduledController): void {
  log({
    level: 'warn',
    message: 'a cron trigger without a handler',
    cron: controller.cron,
    fix: "add a `scheduled` handler to the worker's entry module, or remove the cron from wrangler.jsonc",
  });
}
