/**
 * @escf/cli — `escf generate` and `escf check`: turn the classes named in
 * `escf.config.ts` into Durable Object exports, projection and process
 * entrypoints, wrangler bindings, D1 migrations and Env types.
 *
 * The config helper also lives at the small subpath `@escf/cli/config`.
 *
 * @packageDocumentation
 */
export {
  defineSystem,
  type AnyClass,
  type ApiWorkerConfig,
  type Delivery,
  type ProcessWorkerConfig,
  type ProjectionWorkerConfig,
  type QueueConsumerOptions,
  type SystemConfig,
  type WorkerConfig,
  type WorkerConfigBase,
  type WorkflowConfig,
} from './config/define-system.js';
export { ConfigError } from './config/config-error.js';
export { loadConfig, type LoadedConfig } from './config/config-loader.js';
export { resolveSystem } from './config/resolve-system.js';
export type { AggregateModel, ReactorModel, SystemModel, WorkerModel } from './model/system-model.js';
export { generate, type GenerateResult } from './commands/generate.js';
export { check, type CheckResult, type StaleFile } from './commands/check.js';
export type { CommandOptions } from './commands/load-system.js';
export { main } from './main.js';
export { dev, devPlan, type DevOptions, type DevPlan } from './commands/dev.js';
export { deploy, deployPlan, type DeployOptions, type DeployResult, type DeployFailure } from './commands/deploy.js';
export { init, type InitOptions, type InitResult } from './commands/init.js';
