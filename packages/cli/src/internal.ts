/**
 * @escf/cli/internal — what ESCF's own packages share with the CLI (the
 * testing kit's `startSystem` reads a system the way `escf dev` does). NOT
 * public API: it changes in any release without notice.
 *
 * @packageDocumentation
 */
export { type LoadedConfig, loadConfig } from './config/config-loader.js';
export { resolveSystem } from './config/resolve-system.js';
export { GeneratedPaths } from './model/naming.js';
export type {
  AggregateModel,
  ArchiveModel,
  ConsoleModel,
  ReactorModel,
  SystemModel,
  WorkerModel,
} from './model/system-model.js';
