import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { AggregateClass } from '@escf/core';
import {
  durableObjectBinding,
  durableObjectClassName,
  eventStoreShardBinding,
  kebabCase,
  reactorResources,
} from '../model/naming.js';
import type {
  AggregateModel,
  ConsoleModel,
  ReactorModel,
  SystemModel,
  TracingModel,
  WorkerModel,
} from '../model/system-model.js';
import { ConfigError } from './config-error.js';
import type { LoadedConfig } from './config-loader.js';
import type {
  ApiWorkerConfig,
  ProcessWorkerConfig,
  ProjectionWorkerConfig,
  QueueConsumerOptions,
  SystemConfig,
  WorkerConfig,
} from './define-system.js';
import { missingDtoSupport } from './dto-support-check.js';
import { resolveArchive } from './resolve-archive.js';

const DEFAULT_COMPATIBILITY_DATE = '2026-11-01';
const WORKER_KINDS = ['api', 'projection', 'process'] as const;

/**
 * Validates a loaded config against the classes it references and resolves
 * it into a {@link SystemModel}. Every mistake becomes one {@link ConfigError}
 * whose message starts with the path of the offending field
 * (`workers.api.aggregates[0]`) and names the class.
 */
export function resolveSystem(loaded: LoadedConfig): SystemModel {
  const { config, configPath } = loaded;
  const baseDir = dirname(configPath);
  const fail = (field: string, message: string): never => {
    throw new ConfigError(`${relative(process.cwd(), configPath) || configPath}: ${field}: ${message}`);
  };

  if (typeof config.name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(config.name)) {
    fail(
      'name',
      `the system name must be lower-case letters, digits and '-', starting with a letter, e.g. 'users' (got ${JSON.stringify(config.name)}).`,
    );
  }
  if (config.compatibilityDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(config.compatibilityDate)) {
    fail('compatibilityDate', `expected YYYY-MM-DD, got ${JSON.stringify(config.compatibilityDate)}.`);
  }
  if (config.workers === null || typeof config.workers !== 'object' || Object.keys(config.workers).length === 0) {
    fail(
      'workers',
      "declare at least one worker, e.g. `workers: { api: { kind: 'api', dir: 'workers/api', from: './src/domain/index.ts', aggregates: [User] } }`.",
    );
  }

  const classOwner = new Map<Function, string>();
  // One aggregate type, one Durable Object class: two would write conflicting versions into one D1 stream.
  const typeOwner = new Map<string, { at: string; name: string }>();
  const exportNameOf = (cls: unknown, field: string, from: string, fromPath: string, what: string): string => {
    if (typeof cls !== 'function') fail(field, `expected ${what} class, got ${describeValue(cls)}. Check the import.`);
    const namespace = loaded.modules.get(fromPath) ?? {};
    const exportName = Object.keys(namespace).find((key) => namespace[key] === cls);
    if (!exportName) {
      fail(
        field,
        `${(cls as Function).name || 'the class'} is not exported by ${from} (this worker's \`from\` module). Export it from there or point \`from\` at the module that does.`,
      );
    }
    return exportName!;
  };

  // First pass: each worker on its own.
  const partial: Array<Omit<WorkerModel, 'calls' | 'commands' | 'rateLimits'> & { config: WorkerConfig }> = [];
  const aggregateHosts = new Map<AggregateClass, { model: AggregateModel; workerName: string; dir: string }>();
  const reactorsByName = new Map<string, ReactorModel>();
  const usedNames = new Map<string, string>();

  for (const [key, worker] of Object.entries(config.workers)) {
    const at = `workers.${key}`;
    if (!/^[a-z][a-z0-9-]*$/.test(key))
      fail(at, `worker keys are lower-case letters, digits and '-' (they name the worker \`${config.name}-<key>\`).`);
    if (worker === null || typeof worker !== 'object')
      fail(at, `expected a worker object, got ${describeValue(worker)}.`);
    if (!WORKER_KINDS.includes(worker.kind))
      fail(
        `${at}.kind`,
        `expected one of ${WORKER_KINDS.map((k) => `'${k}'`).join(', ')}, got ${JSON.stringify(worker.kind)}.`,
      );
    if (typeof worker.dir !== 'string' || worker.dir === '')
      fail(
        `${at}.dir`,
        "the worker directory (holding its wrangler.jsonc), relative to the config file, e.g. 'workers/api'.",
      );
    if (typeof worker.from !== 'string')
      fail(
        `${at}.from`,
        "the module that exports this worker's classes, relative to the config file, e.g. './src/domain/index.ts'.",
      );
    const from = resolve(baseDir, worker.from);
    const entry = worker.entry === undefined ? undefined : resolve(baseDir, worker.entry);
    if (entry !== undefined && !existsSync(entry)) fail(`${at}.entry`, `${worker.entry} does not exist.`);
    const workerName = worker.workerName ?? `${config.name}-${key}`;
    const dir = resolve(baseDir, worker.dir);
    const clash = usedNames.get(dir);
    if (clash) fail(`${at}.dir`, `workers.${clash} uses the same directory; each worker needs its own.`);
    usedNames.set(dir, key);

    const aggregates: AggregateModel[] = [];
    let renamed: { from: string; to: string }[] = [];
    let deleted: string[] = [];
    let reactor: ReactorModel | undefined;

    if (worker.kind === 'api') {
      const api = worker as ApiWorkerConfig;
      if (!Array.isArray(api.aggregates) || api.aggregates.length === 0)
        fail(`${at}.aggregates`, 'list the aggregate classes this worker hosts, e.g. `aggregates: [User]`.');
      api.aggregates.forEach((cls, i) => {
        const field = `${at}.aggregates[${i}]`;
        const exportName = exportNameOf(cls, field, api.from, from, 'an aggregate');
        try {
          const missing = missingDtoSupport(loaded.core, loaded.core.describeAggregate(cls));
          if (missing) fail(field, missing);
        } catch (error) {
          if (error instanceof ConfigError) throw error;
          fail(field, (error as Error).message);
        }
        const previous = classOwner.get(cls);
        if (previous)
          fail(
            field,
            `${cls.name} (type '${cls.type}') is already hosted by ${previous}; an aggregate lives in exactly one API worker.`,
          );
        classOwner.set(cls, at);
        const sameType = typeOwner.get(cls.type);
        if (sameType && sameType.at !== at) {
          fail(
            field,
            `${cls.name} uses the aggregate type '${cls.type}', which ${sameType.name} in ${sameType.at} already uses; two Durable Object classes would write conflicting events into one stream. Give one of them its own type name, or host one class in one worker.`,
          );
        }
        typeOwner.set(cls.type, { at, name: cls.name });
        if (!/^[A-Z][A-Za-z0-9]*$/.test(cls.type)) {
          fail(
            field,
            `${cls.name}'s type '${cls.type}' must be PascalCase letters and digits: it names the generated Durable Object class (${cls.type}Aggregate).`,
          );
        }
        const model: AggregateModel = {
          type: cls.type,
          exportName,
          durableObjectClass: durableObjectClassName(cls.type),
          binding: durableObjectBinding(cls.type),
        };
        if (aggregates.some((a) => a.type === model.type)) fail(field, `two aggregates use the type '${model.type}'.`);
        aggregates.push(model);
        aggregateHosts.set(cls, { model, workerName, dir });
      });
      try {
        loaded.core.createRegistry({ aggregates: api.aggregates });
      } catch (error) {
        fail(`${at}.aggregates`, (error as Error).message);
      }
      for (const [name, rule] of Object.entries(api.rateLimits ?? {})) {
        const field = `${at}.rateLimits.${name}`;
        if (!/^[A-Z][A-Z0-9_]*$/.test(name))
          fail(field, 'name rate limit bindings in UPPER_SNAKE_CASE, e.g. AUTH_RATE_LIMITER.');
        if (!Number.isInteger(rule?.limit) || rule.limit < 1) fail(`${field}.limit`, 'must be a positive integer.');
        if (rule.period !== 10 && rule.period !== 60)
          fail(`${field}.period`, 'must be 10 or 60 (seconds): the platform accepts no other.');
        if (!Number.isInteger(rule.namespaceId) || rule.namespaceId < 1)
          fail(`${field}.namespaceId`, 'must be a positive integer, unique in your account.');
      }
      const types = new Set(aggregates.map((a) => a.type));
      renamed = (api.renamed ?? []).map((rename, i) => {
        const field = `${at}.renamed[${i}]`;
        if (typeof rename?.from !== 'string' || typeof rename?.to !== 'string')
          fail(field, "expected `{ from: 'OldType', to: 'NewType' }` (aggregate type names).");
        if (!types.has(rename.to))
          fail(`${field}.to`, `'${rename.to}' is not an aggregate of this worker (it has ${[...types].join(', ')}).`);
        if (types.has(rename.from))
          fail(
            `${field}.from`,
            `'${rename.from}' is still an aggregate of this worker; a renamed type must be gone from \`aggregates\`.`,
          );
        return { from: durableObjectClassName(rename.from), to: durableObjectClassName(rename.to) };
      });
      deleted = (api.deleted ?? []).map((type, i) => {
        const field = `${at}.deleted[${i}]`;
        if (typeof type !== 'string') fail(field, `expected an aggregate type name, got ${describeValue(type)}.`);
        if (types.has(type))
          fail(field, `'${type}' is still in \`aggregates\`; remove it there to delete its Durable Objects.`);
        return durableObjectClassName(type);
      });
    } else {
      reactor = resolveReactor(
        worker as ProjectionWorkerConfig | ProcessWorkerConfig,
        at,
        from,
        loaded,
        config.name,
        exportNameOf,
        fail,
      );
      const clashing = reactorsByName.get(reactor.name);
      if (clashing)
        fail(at, `two workers run a ${reactor.kind} named '${reactor.name}'; names must be unique in a system.`);
      reactorsByName.set(reactor.name, reactor);
    }
    let optionsExport: string | undefined;
    if (worker.options !== undefined) {
      const namespace = loaded.modules.get(from) ?? {};
      const value = namespace[worker.options];
      if (typeof worker.options !== 'string' || value === null || typeof value !== 'object') {
        fail(`${at}.options`, `${worker.from} exports no object named ${JSON.stringify(worker.options)}.`);
      }
      optionsExport = worker.options;
    }
    partial.push({
      key,
      kind: worker.kind,
      workerName,
      dir,
      from,
      entry,
      optionsExport,
      aggregates,
      renamed,
      deleted,
      reactor,
      config: worker,
    });
  }

  // Second pass: references between workers.
  const workers: WorkerModel[] = partial.map(({ config: worker, ...model }) => {
    const at = `workers.${model.key}`;
    const callNames =
      worker.calls ??
      (worker.kind === 'api'
        ? [...reactorsByName.values()].filter((r) => r.kind === 'projection').map((r) => r.name)
        : []);
    const calls = callNames.map((name, i) => {
      const target = reactorsByName.get(name);
      if (target?.kind !== 'projection') {
        fail(
          `${at}.calls[${i}]`,
          `no projection named '${name}' in this system (projections: ${
            [...reactorsByName.values()]
              .filter((r) => r.kind === 'projection')
              .map((r) => r.name)
              .join(', ') || 'none'
          }).`,
        );
      }
      if (target === model.reactor) fail(`${at}.calls[${i}]`, `a worker does not call itself.`);
      return target!;
    });
    const commands =
      worker.kind !== 'api'
        ? (worker.commands ?? []).map((cls, i) => {
            const host = aggregateHosts.get(cls);
            if (!host)
              fail(
                `${at}.commands[${i}]`,
                `${(cls as Function)?.name ?? describeValue(cls)} is not hosted by any API worker of this system; add it to an api worker's \`aggregates\`.`,
              );
            return { aggregate: host!.model, scriptName: host!.workerName, hostDir: host!.dir };
          })
        : [];
    const rateLimits = worker.kind === 'api' ? { ...((worker as ApiWorkerConfig).rateLimits ?? {}) } : {};
    return { ...model, calls, commands, rateLimits };
  });

  const layouts = resolveShards(config.shards, fail);
  const consoleModel = resolveConsole(config.console, config.name, baseDir, workers, fail);
  return {
    name: config.name,
    configPath,
    compatibilityDate: config.compatibilityDate ?? DEFAULT_COMPATIBILITY_DATE,
    workers,
    reactors: [...reactorsByName.values()],
    console: consoleModel,
    tracing: resolveTracing(config.tracing, fail),
    eventStoreLayouts: layouts,
    eventStoreShards: Array.from({ length: layouts.at(-1)! }, (_, shard) => eventStoreShardBinding(shard)),
    archive: resolveArchive(config.archive, loaded, baseDir, config.name, workers, consoleModel, fail),
  };
}

function resolveTracing(
  config: SystemConfig['tracing'],
  fail: (field: string, message: string) => never,
): TracingModel | undefined {
  if (config === undefined) return undefined;
  const { endpoint, headersSecret, sampleRatio = 1 } = config;
  if (endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      fail(
        'tracing.endpoint',
        `expected an http(s) URL such as 'https://api.honeycomb.io/v1/traces', got ${JSON.stringify(endpoint)}.`,
      );
    }
    if (url!.protocol !== 'https:' && url!.protocol !== 'http:')
      fail('tracing.endpoint', `expected an http(s) URL, got ${JSON.stringify(endpoint)}.`);
    // Secrets never go into config files or URLs: they would end up in wrangler.jsonc and in logs.
    if (url!.username !== '' || url!.password !== '' || url!.search !== '')
      fail(
        'tracing.endpoint',
        'must not carry credentials or a query string: put API keys in the secret named by `headersSecret`.',
      );
  }
  if (headersSecret !== undefined && !/^[A-Z_][A-Z0-9_]*$/.test(headersSecret))
    fail(
      'tracing.headersSecret',
      `expected the NAME of a secret (e.g. 'OTLP_HEADERS'), got ${JSON.stringify(headersSecret)}.`,
    );
  if (typeof sampleRatio !== 'number' || !(sampleRatio >= 0 && sampleRatio <= 1))
    fail('tracing.sampleRatio', `expected a number from 0 to 1, got ${JSON.stringify(sampleRatio)}.`);
  return { endpoint, headersSecret, sampleRatio };
}

/** `shards: 4` → `[4]`; `shards: [2, 4]` stays; checked: whole numbers, 1 to 64, never fewer than before. */
function resolveShards(shards: SystemConfig['shards'], fail: (field: string, message: string) => never): number[] {
  const layouts = shards === undefined ? [1] : typeof shards === 'number' ? [shards] : [...shards];
  if (layouts.length === 0) fail('shards', 'list at least one shard count, e.g. `shards: 2`.');
  layouts.forEach((count, i) => {
    if (!Number.isInteger(count) || count < 1 || count > 64)
      fail('shards', `a shard count is a whole number from 1 to 64 (got ${JSON.stringify(count)}).`);
    if (i > 0 && count < layouts[i - 1]!)
      fail(
        'shards',
        `shard counts only grow (${layouts[i - 1]} then ${count}): history never moves between shards, so a shard is never removed.`,
      );
  });
  return layouts;
}

function resolveConsole(
  config: SystemConfig['console'],
  systemName: string,
  baseDir: string,
  workers: readonly WorkerModel[],
  fail: (field: string, message: string) => never,
): ConsoleModel | undefined {
  if (config === undefined) return undefined;
  if (typeof config?.dir !== 'string' || config.dir === '')
    fail('console.dir', "the console worker's directory, relative to the config file, e.g. 'workers/console'.");
  const dir = resolve(baseDir, config.dir);
  const clash = workers.find((w) => w.dir === dir);
  if (clash) fail('console.dir', `workers.${clash.key} uses the same directory; the console needs its own.`);
  const apis = workers.filter((w) => w.kind === 'api');
  const admin = config.admin === undefined ? apis[0] : apis.find((w) => w.key === config.admin);
  if (!admin)
    fail(
      'console.admin',
      config.admin === undefined
        ? 'the console needs an api worker (it hosts the admin entrypoint).'
        : `no api worker '${config.admin}' (api workers: ${apis.map((w) => w.key).join(', ') || 'none'}).`,
    );
  return { workerName: config.workerName ?? `${systemName}-console`, dir, adminWorkerKey: admin!.key };
}

function resolveReactor(
  worker: ProjectionWorkerConfig | ProcessWorkerConfig,
  at: string,
  fromPath: string,
  loaded: LoadedConfig,
  systemName: string,
  exportNameOf: (cls: unknown, field: string, from: string, fromPath: string, what: string) => string,
  fail: (field: string, message: string) => never,
): ReactorModel {
  const isProjection = worker.kind === 'projection';
  const field = `${at}.${worker.kind}`;
  const cls = isProjection ? (worker as ProjectionWorkerConfig).projection : (worker as ProcessWorkerConfig).process;
  const exportName = exportNameOf(cls, field, worker.from, fromPath, `a @${isProjection ? 'Projection' : 'Process'}`);
  let name: string;
  let prefix: string;
  let events: string[] = [];
  const crons: string[] = [];
  const triggerQueues: string[] = [];
  try {
    if (isProjection) {
      const descriptor = loaded.core.describeProjection(cls);
      ({ name, bindingPrefix: prefix } = descriptor);
      events = descriptor.events.map((e) => e.type);
    } else {
      const descriptor = loaded.core.describeProcess(cls);
      ({ name, bindingPrefix: prefix } = descriptor);
      events = descriptor.events.map((e) => e.type);
      for (const { trigger } of descriptor.triggers) {
        if (trigger.kind === 'cron' && !crons.includes(trigger.cron)) crons.push(trigger.cron);
        if (trigger.kind === 'queue' && !triggerQueues.includes(trigger.queue)) triggerQueues.push(trigger.queue);
      }
    }
  } catch (error) {
    return fail(field, (error as Error).message);
  }
  const delivery = worker.delivery ?? 'queue';
  if (delivery !== 'queue' && delivery !== 'sync')
    fail(`${at}.delivery`, `expected 'queue' or 'sync', got ${JSON.stringify(delivery)}.`);
  const queueOptions = checkQueueOptions(worker.queue ?? {}, `${at}.queue`, fail);
  const workflows = isProjection
    ? []
    : ((worker as ProcessWorkerConfig).workflows ?? []).map((workflow, i) => {
        const wf = `${at}.workflows[${i}]`;
        if (typeof workflow?.binding !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(workflow.binding)) {
          fail(
            `${wf}.binding`,
            `a binding name in CONSTANT_CASE, e.g. 'VERIFY_EMAIL' (got ${JSON.stringify(workflow?.binding)}).`,
          );
        }
        return {
          binding: workflow.binding,
          name: workflow.name ?? kebabCase(workflow.binding),
          exportName: exportNameOf(workflow.workflow, `${wf}.workflow`, worker.from, fromPath, 'a WorkflowEntrypoint'),
        };
      });
  return {
    kind: worker.kind,
    name: name!,
    exportName,
    delivery,
    queueOptions,
    crons,
    triggerQueues,
    workflows,
    events,
    ...reactorResources(name!, prefix!, systemName),
  };
}

function checkQueueOptions(
  options: QueueConsumerOptions,
  at: string,
  fail: (field: string, message: string) => never,
): QueueConsumerOptions {
  for (const key of ['maxRetries', 'maxBatchSize', 'maxBatchTimeout'] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isInteger(value) || value < 0))
      fail(`${at}.${key}`, `expected a non-negative integer, got ${JSON.stringify(value)}.`);
  }
  return options;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined (is the import right, or is there an import cycle?)';
  if (value === null) return 'null';
  if (typeof value === 'function') return `function ${value.name}`;
  return typeof value === 'object' ? 'an object' : JSON.stringify(value);
}
