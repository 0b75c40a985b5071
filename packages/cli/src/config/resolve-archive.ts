import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ARCHIVE_BUCKET_BINDING, archiveBucketName } from '../model/naming.js';
import type { ArchiveModel, ConsoleModel, WorkerModel } from '../model/system-model.js';
import type { LoadedConfig } from './config-loader.js';
import { cronExpressionProblem } from './cron-expression.js';
import type { SystemConfig } from './define-system.js';

/** What `defineRetention` returns, as far as the generator reads it. */
interface ResolvedRetentionShape {
  readonly default: { readonly kind: string };
  readonly aggregates: ReadonlyMap<string, unknown>;
  readonly pruneDurableObjects: boolean | ReadonlySet<string>;
}

/**
 * Checks `archive` in escf.config.ts and resolves it: the cron, the bucket
 * name, the retention module (loaded with the config: its default export must
 * be a `defineRetention(…)` result naming only aggregate types of the system)
 * and the worker that runs the archiver — the console's admin worker, else
 * the first API worker, which must host every aggregate whose Durable
 * Objects are pruned (the archiver calls them through its own bindings).
 */
export function resolveArchive(
  config: SystemConfig['archive'],
  loaded: LoadedConfig,
  baseDir: string,
  systemName: string,
  workers: readonly WorkerModel[],
  consoleModel: ConsoleModel | undefined,
  fail: (field: string, message: string) => never,
): ArchiveModel | undefined {
  if (config === undefined) return undefined;
  if (config === null || typeof config !== 'object')
    fail(
      'archive',
      "expected `{ retention: './src/retention.ts', schedule: '*/15 * * * *' }` (the retention module and when the archiver runs).",
    );
  const problem = cronExpressionProblem(config.schedule);
  if (problem) fail('archive.schedule', problem);
  if (config.bucket !== undefined && !/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(String(config.bucket)))
    fail(
      'archive.bucket',
      `an R2 bucket name is 3–63 lower-case letters, digits and '-', starting and ending with a letter or digit (got ${JSON.stringify(config.bucket)}).`,
    );
  if (typeof config.retention !== 'string' || config.retention === '')
    fail(
      'archive.retention',
      "the module, relative to the config file, whose default export is the retention policies, e.g. './src/retention.ts' with `export default defineRetention({ default: retention.keepDays(90) })`.",
    );
  const retentionModule = resolve(baseDir, config.retention);
  if (!existsSync(retentionModule))
    fail(
      'archive.retention',
      `${config.retention} does not exist. Create it with \`export default defineRetention({ … })\` (from @escf/core/retention).`,
    );
  const policies = loaded.modules.get(retentionModule)?.default;
  if (!isResolvedRetention(policies))
    fail(
      'archive.retention',
      `${config.retention} must \`export default defineRetention({ … })\` (from @escf/core/retention); its default export is ${describe(policies)}.`,
    );
  const retention = policies as ResolvedRetentionShape;

  const apis = workers.filter((w) => w.kind === 'api');
  const owner = consoleModel ? apis.find((w) => w.key === consoleModel.adminWorkerKey) : apis[0];
  if (!owner)
    return fail('archive', 'the archiver runs in an api worker (the one that owns the event store); declare one.');
  const types = apis.flatMap((w) => w.aggregates.map((a) => a.type));
  const named = [
    ...retention.aggregates.keys(),
    ...(typeof retention.pruneDurableObjects === 'boolean' ? [] : retention.pruneDurableObjects),
  ];
  for (const type of named) {
    if (!types.includes(type))
      fail(
        'archive.retention',
        `${config.retention} names the aggregate type '${type}', which no api worker hosts (types: ${types.join(', ')}). Policies are keyed by the aggregate's \`static type\`.`,
      );
  }
  const prunedAggregates =
    retention.pruneDurableObjects === true
      ? types
      : retention.pruneDurableObjects === false
        ? []
        : types.filter((type) => (retention.pruneDurableObjects as ReadonlySet<string>).has(type));
  for (const type of prunedAggregates) {
    if (!owner.aggregates.some((a) => a.type === type)) {
      const host = apis.find((w) => w.aggregates.some((a) => a.type === type))!;
      fail(
        'archive.retention',
        `${config.retention} prunes the Durable Objects of '${type}', which workers.${host.key} hosts, but the archiver runs in workers.${owner.key} (it prunes through its own Durable Object bindings). Host '${type}' in workers.${owner.key}, or leave it out of \`pruneDurableObjects\`.`,
      );
    }
  }
  // keepSinceSnapshot asks each aggregate's Durable Object for a snapshot, through the archiver's own bindings too.
  for (const type of types) {
    const policy = (retention.aggregates.get(type) as { kind?: string } | undefined) ?? retention.default;
    if (policy.kind === 'keepSinceSnapshot' && !owner.aggregates.some((a) => a.type === type)) {
      const host = apis.find((w) => w.aggregates.some((a) => a.type === type))!;
      fail(
        'archive.retention',
        `${config.retention} keeps '${type}' since its snapshot (keepSinceSnapshot), which needs the archiver to ask its Durable Objects for snapshots, but workers.${host.key} hosts it and the archiver runs in workers.${owner.key}. Host '${type}' in workers.${owner.key}, or give it another policy.`,
      );
    }
  }
  return {
    workerKey: owner.key,
    bucketBinding: ARCHIVE_BUCKET_BINDING,
    bucketName: config.bucket ?? archiveBucketName(systemName),
    bucketNamed: config.bucket !== undefined,
    schedule: config.schedule.trim(),
    retentionModule,
    prunedAggregates,
  };
}

function isResolvedRetention(value: unknown): value is ResolvedRetentionShape {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Partial<ResolvedRetentionShape>;
  return (
    typeof candidate.default?.kind === 'string' &&
    candidate.aggregates instanceof Map &&
    (typeof candidate.pruneDurableObjects === 'boolean' || candidate.pruneDurableObjects instanceof Set)
  );
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'a plain object (not checked by defineRetention)' : typeof value;
}
