import { fileURLToPath } from 'node:url';
import { type ConsoleSecrets, type RunningSystem, type StartSystemOptions, startSystem } from '@escf/testing/system';

export type { ConsoleSecrets };

/** The whole users system, running in workerd. */
export type UsersSystem = RunningSystem;

/**
 * Starts every worker of the example from its escf.config.ts, in workerd (see
 * `startSystem` in @escf/testing/system) — with the ESCF console when given
 * its secrets.
 */
export function startUsersSystem(
  options: Pick<StartSystemOptions, 'console' | 'workers' | 'inspectorPort'> = {},
): Promise<UsersSystem> {
  return startSystem(fileURLToPath(new URL('../..', import.meta.url)), {
    ...(options.console ? { console: options.console } : {}),
    ...(options.workers ? { workers: options.workers } : {}),
    ...(options.inspectorPort === undefined ? {} : { inspectorPort: options.inspectorPort }),
  });
}
