import { join } from 'node:path';
import { EVENT_STORE_TABLE } from '@escf/core/internal';
import type { ArchiveModel, SystemModel, WorkerModel } from '../model/system-model.js';
import { displayPath } from './module-paths.js';

/** Adds a named import to the generated module (`default as x` for a default import). */
type Use = (module: string, name: string) => void;

/** The generated archiver factory's name: the scheduled handler and the admin entrypoint share it. */
export const ARCHIVER_CONST = 'escfArchiver';
const RETENTION_IMPORT = 'escfRetention';
const ARCHIVE_MODULE = '@escf/cloudflare/archive';

/** The event store's shard bindings as a literal list. */
function shardList(system: SystemModel): string {
  return `[${system.eventStoreShards.map((b) => `'${b}'`).join(', ')}]`;
}

function layoutsOption(system: SystemModel): string {
  return `layouts: [${system.eventStoreLayouts.map((count) => `{ count: ${count} }`).join(', ')}]`;
}

/** `env.<binding>` read from the `object` the generated factories take (their workers' Env types are the user's). */
function bindingOf(binding: string, type: string): string {
  return `(env as { ${binding}: ${type} }).${binding}`;
}

/** The shard databases, read from env by binding name. */
function shardDatabases(system: SystemModel): string {
  return `${shardList(system)}.map((binding) => (env as Record<string, D1Database>)[binding]!)`;
}

/**
 * The archive worker's archiver factory: `EventArchiver` over the event
 * store (or `ShardedEventArchiver` over every shard), with the retention
 * module's policies and `durableObjectRetention` hooks over the worker's
 * aggregates (snapshots for `keepSinceSnapshot`, pruning for
 * `pruneDurableObjects`).
 */
export function archiverDeclaration(
  system: SystemModel,
  worker: WorkerModel,
  archive: ArchiveModel,
  retentionSpecifier: string,
  use: Use,
): string[] {
  const policies = displayPath(join(system.configPath, '..'), archive.retentionModule);
  use(retentionSpecifier, `default as ${RETENTION_IMPORT}`);
  const sharded = system.eventStoreShards.length > 1;
  const bucket = bindingOf(archive.bucketBinding, 'R2Bucket');
  const hooks = worker.aggregates.map((a) => `${a.type}: '${a.binding}'`).join(', ');
  const lines = [
    // A line comment: the cron may contain `*/`.
    `// The archiver (escf.config.ts \`archive\`): the policies of ${policies}, run on '${archive.schedule}' and from the console.`,
  ];
  if (!sharded) {
    use(ARCHIVE_MODULE, 'EventArchiver');
    use(ARCHIVE_MODULE, 'durableObjectRetention');
    use(ARCHIVE_MODULE, 'defaultArchivePrefix');
    lines.push(
      `const ${ARCHIVER_CONST} = (env: object) =>`,
      `  new EventArchiver(${bindingOf(system.eventStoreShards[0]!, 'D1Database')}, ${bucket}, {`,
      `    retention: ${RETENTION_IMPORT},`,
      `    aggregates: durableObjectRetention(env, {`,
      `      bindings: { ${hooks} },`,
      `      history: { d1: '${system.eventStoreShards[0]}', bucket: '${archive.bucketBinding}', table: '${EVENT_STORE_TABLE}', prefix: defaultArchivePrefix() },`,
      `    }),`,
      `  });`,
    );
  } else {
    use(ARCHIVE_MODULE, 'ShardedEventArchiver');
    use(ARCHIVE_MODULE, 'durableObjectRetention');
    // One archiver per shard database, each under its own prefix; a pruned object reads back from its shard.
    lines.push(
      `const ${ARCHIVER_CONST} = (env: object) =>`,
      `  new ShardedEventArchiver(${shardDatabases(system)}, ${bucket}, {`,
      `    retention: ${RETENTION_IMPORT},`,
      `    aggregates: (shard, prefix) =>`,
      `      durableObjectRetention(env, {`,
      `        bindings: { ${hooks} },`,
      `        history: { d1: ${shardList(system)}[shard]!, bucket: '${archive.bucketBinding}', table: '${EVENT_STORE_TABLE}', prefix },`,
      `      }),`,
      `  });`,
    );
  }
  lines.push('');
  return lines;
}

/** The worker's default export with the archiver's cron added (the user's other crons still reach their handler). */
export function scheduledDefaultExport(archive: ArchiveModel, entrySpecifier: string | undefined, use: Use): string[] {
  use(ARCHIVE_MODULE, 'withArchiveSchedule');
  if (entrySpecifier) use(entrySpecifier, 'default as escfEntry');
  return [
    `// Your default export, plus the archiver on its cron; your own \`scheduled\` still gets every other cron.`,
    `export default withArchiveSchedule(${entrySpecifier ? 'escfEntry' : 'undefined'}, { cron: '${archive.schedule}', archiver: ${ARCHIVER_CONST} });`,
    '',
  ];
}

/** A projection's or process's reader of the whole log: R2 archive, then D1 (every shard's, with shards). */
export function archiveReaderOption(system: SystemModel, archive: ArchiveModel, use: Use): string {
  const bucket = bindingOf(archive.bucketBinding, 'R2Bucket');
  if (system.eventStoreShards.length === 1) {
    use(ARCHIVE_MODULE, 'ArchivingEventStore');
    return `eventStore: (env: object) => new ArchivingEventStore(${bindingOf(system.eventStoreShards[0]!, 'D1Database')}, ${bucket})`;
  }
  use(ARCHIVE_MODULE, 'ShardedArchivingEventStore');
  return `eventStore: (env: object) => new ShardedArchivingEventStore(${shardDatabases(system)}, ${bucket}, { ${layoutsOption(system)} })`;
}
