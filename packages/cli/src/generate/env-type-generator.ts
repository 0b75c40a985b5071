import { join } from 'node:path';
import { GeneratedPaths } from '../model/naming.js';
import type { SystemModel, WorkerModel } from '../model/system-model.js';
import { generatedBanner } from './entry-module-generator.js';
import { importSpecifier } from './module-paths.js';
import type { WorkerBindings } from './worker-bindings.js';

/**
 * The `EscfEnv` interface of one worker: every binding `escf generate`
 * declares, typed (Durable Object namespaces with their generated classes,
 * service bindings with the called entrypoint's RPC methods). Extend it
 * with your own bindings: `interface Env extends EscfEnv { MY_KV: KVNamespace }`.
 */
export function generateEnvType(system: SystemModel, worker: WorkerModel, bindings: WorkerBindings): string {
  const file = join(worker.dir, GeneratedPaths.env);
  const entryOf = (dir: string) => importSpecifier(file, join(dir, GeneratedPaths.entry));
  const fields: string[] = [];
  const field = (name: string, type: string) => fields.push(`  readonly ${name}: ${type};`);

  for (const aggregate of worker.aggregates) {
    field(
      aggregate.binding,
      `DurableObjectNamespace<InstanceType<typeof import('${entryOf(worker.dir)}').${aggregate.durableObjectClass}>>`,
    );
  }
  for (const { aggregate, hostDir } of worker.commands) {
    field(
      aggregate.binding,
      `DurableObjectNamespace<InstanceType<typeof import('${entryOf(hostDir)}').${aggregate.durableObjectClass}>>`,
    );
  }
  for (const entry of bindings.sections.d1_databases) field(entry.key, 'D1Database');
  for (const entry of bindings.sections.queue_producers) field(entry.key, 'Queue');
  const projections: string[] = [];
  for (const entry of bindings.sections.services) {
    const target = system.workers.find((w) => w.reactor?.serviceBinding === entry.key)!;
    field(entry.key, `Service<InstanceType<typeof import('${entryOf(target.dir)}').default>>`);
    if (target.reactor?.kind === 'projection') {
      projections.push(
        `  readonly ${entry.key}: import('@escf/cloudflare').ProjectionOf<typeof import('${entryOf(target.dir)}').default>;`,
      );
    }
  }
  for (const entry of bindings.sections.workflows) field(entry.key, 'Workflow');
  for (const entry of bindings.sections.ratelimits) field(entry.key, 'RateLimit');
  for (const entry of bindings.sections.r2_buckets) field(entry.key, 'R2Bucket');

  return `${generatedBanner(system, file)}
/** The bindings ESCF declares for worker ${worker.workerName}. */
export interface EscfEnv {
${fields.join('\n')}
}
${
  projections.length === 0
    ? ''
    : `
/** The projections worker ${worker.workerName} queries, for typed clients: \`projectionClients<EscfProjections>(env)\`. */
export interface EscfProjections {
${projections.join('\n')}
}
`
}`;
}
