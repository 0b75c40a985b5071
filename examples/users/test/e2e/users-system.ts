import { startSystem, type RunningSystem } from '@escf/testing/system';
import { fileURLToPath } from 'node:url';

/** The whole users system, running in workerd. */
export type UsersSystem = RunningSystem;

/** Starts every worker of the example from its escf.config.ts, in workerd (see `startSystem` in @escf/testing/system). */
export function startUsersSystem(): Promise<UsersSystem> {
  return startSystem(fileURLToPath(new URL('../..', import.meta.url)));
}
