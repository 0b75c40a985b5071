import type { CommandResult } from '@escf/core';
import { type AggregateClass, type EventEnvelope, NotFound, ValidationError } from '@escf/core';
import {
  type AggregateDescriptor,
  createRegistry,
  engineFor,
  inputJsonSchema,
  lensChainOf,
  log,
  type Registry,
  serializeError,
} from '@escf/core/internal';
import { type EventStore, isShardedEventLog } from '@escf/core/store';
import { durableObjectName } from '../aggregate/aggregate-address.js';
import type { CommandRequest } from '../aggregate/durable-object-host.js';
import type { Archiver } from '../archive/archiver.js';
import { D1EventStore } from '../event-store/d1-event-store.js';
import { ShardedD1EventStore } from '../event-store/sharded-event-store.js';
import type { AggregateInstanceMetrics } from '../metrics/aggregate-metrics.js';
import { readRollup } from '../metrics/metrics-rollup.js';
import type { ProcessAdmin, RedriveReport } from '../process/process-entrypoint.js';
import type { DeliveryReport, ProjectionAdmin } from '../projection/projection-entrypoint.js';
import type { ProjectionStatus, RebuildStatus } from '../projection/projection-status.js';
import type { RpcReply } from '../rpc/error-encoding.js';
import { type AdminScope, requireWrite } from './admin-token.js';
import type {
  ArchiveOverview,
  InspectedEvent,
  InstanceQuery,
  InstanceSummary,
  ProcessHealth,
  ProjectionHealth,
  SendCommandOutcome,
  SendCommandRequest,
  StateAtVersion,
  StateDiff,
  StreamAddress,
  StreamPage,
  StreamQuery,
  SystemMap,
  TailPage,
} from './admin-types.js';
import { type AdminEventStoreShards, LogShards } from './log-shards.js';
import { type MetricsDocument, type MetricsParts, metricsDocumentOf } from './metrics-document.js';
import type { OutboxBacklog } from './outbox-backlog.js';
import { processRedriveRequest } from './process-redrive.js';
import { maskFields } from './sensitive-fields.js';
import { diffStates } from './state-diff.js';
import type { ReactorTopology, SystemTopology } from './system-topology.js';

/** What the admin methods are built from (see `adminEntrypoint`). */
export interface AdminSystem<Env> {
  readonly aggregates: readonly AggregateClass[];
  readonly topology: SystemTopology;
  /**
   * The log to read streams from; default `new D1EventStore(env.ESCF_EVENTS)`, or a
   * `ShardedD1EventStore` over `eventStoreShards` (pass an `ArchivingEventStore` to read across the archive).
   */
  readonly eventStore?: (env: Env) => EventStore;
  /**
   * The event store's shard databases, when it is sharded (`escf generate` passes them):
   * the aggregate list, log heads and live tail then read every shard. Default: `ESCF_EVENTS` alone.
   */
  readonly eventStoreShards?: AdminEventStoreShards;
  /** The archiver, when the system archives. */
  readonly archiver?: (env: Env) => Archiver;
  /** Reads the last archive run's report where the system keeps it (e.g. what `archiveOnSchedule`'s `onReport` stored). */
  readonly lastArchiveRun?: (env: Env) => Promise<unknown>;
}

interface HostStub {
  executeSync(request: CommandRequest): Promise<RpcReply<CommandResult>>;
  outboxBacklog(): Promise<OutboxBacklog>;
  metrics(): Promise<AggregateInstanceMetrics>;
}

/** The system-wide facts derived once per system definition. */
export class AdminCatalog {
  readonly registry: Registry;
  /** Per aggregate type: every sensitive field name of its events (state fields of the same name are masked too). */
  readonly sensitiveByAggregate = new Map<string, Set<string>>();

  constructor(readonly system: AdminSystem<any>) {
    this.registry = createRegistry({ aggregates: system.aggregates });
    for (const [, event] of this.registry.events) {
      const names = this.sensitiveByAggregate.get(event.aggregateType) ?? new Set<string>();
      for (const field of event.sensitive) names.add(field);
      this.sensitiveByAggregate.set(event.aggregateType, names);
    }
  }

  systemMap(): SystemMap {
    const { topology } = this.system;
    const consumersOf = (type: string) => topology.reactors.filter((r) => r.events.includes(type)).map((r) => r.name);
    return {
      name: topology.name,
      aggregates: [...this.registry.aggregates.values()].map((descriptor) => ({
        type: descriptor.type,
        worker: topology.aggregates.find((a) => a.type === descriptor.type)?.worker ?? '',
        commands: [...descriptor.commands.values()].map((command) => ({
          name: command.name,
          inputSchema: inputJsonSchema(command.input),
          emits: command.emits ? [...command.emits] : null,
        })),
        events: [...descriptor.reducers.values()].map(({ event }) => ({
          type: event.type,
          version: event.version,
          upcastFrom: Array.from({ length: event.version - 1 }, (_, i) => i + 1),
          formerly: [...(lensChainOf(event.eventClass)?.formerly ?? [])],
          sensitive: [...event.sensitive],
          consumers: consumersOf(event.type),
        })),
      })),
      projections: topology.reactors.filter((r) => r.kind === 'projection'),
      processes: topology.reactors.filter((r) => r.kind === 'process'),
      queues: topology.reactors
        .filter((r) => r.delivery === 'queue' && r.queue)
        .map((r) => ({ name: r.queue!, consumer: r.name, deadLetterQueue: r.deadLetterQueue ?? null })),
    };
  }

  aggregate(type: unknown): AggregateDescriptor {
    if (typeof type !== 'string' || !this.registry.aggregates.has(type)) {
      throw new NotFound(`No aggregate type '${String(type)}' in this system`, {
        details: {
          known: [...this.registry.aggregates.keys()],
        },
      });
    }
    return this.registry.aggregates.get(type)!;
  }
}

/**
 * The admin methods for one caller: reads for every scope, actions and
 * revealing sensitive fields only with the write scope. Every action is
 * logged with who did what.
 */
export class AdminApi<Env = unknown> {
  constructor(
    private readonly catalog: AdminCatalog,
    private readonly env: Env,
    private readonly scope: AdminScope,
    private readonly actor: string,
    /** Keeps work running after the reply (the entrypoint's `ctx.waitUntil`). */
    private readonly background: (work: Promise<unknown>) => void = () => undefined,
  ) {}

  systemMap(): SystemMap {
    return this.catalog.systemMap();
  }

  async instances(query: InstanceQuery = {}): Promise<{ instances: InstanceSummary[] }> {
    // D1 alone finds every instance, archived ones included: retention never archives an
    // aggregate's newest D1 row (planArchive), and that row carries its version and last event.
    const limit = clamp(query.limit, 50, 200);
    const type = optionalString(query.aggregateType, 'aggregateType');
    const id = optionalString(query.aggregateId, 'aggregateId');
    const tenant = optionalString(query.tenantId, 'tenantId');
    const idPattern = id === undefined ? null : id.endsWith('*') ? `${escapeLike(id.slice(0, -1))}%` : escapeLike(id);
    const results = await this.logShards.latestStreams({
      aggregateType: type ?? null,
      idPattern,
      tenantId: tenant ?? null,
      limit,
    });
    const instances: InstanceSummary[] = results.map((row) => ({
      aggregateType: row.aggregate_type,
      aggregateId: row.aggregate_id,
      ...(row.tenant_id === '' ? {} : { tenantId: row.tenant_id }),
      version: row.version,
      lastPosition: row.last_position,
      lastEventAt: row.last_at,
      ...(this.logShards.sharded ? { shard: row.shard } : {}),
    }));
    if (!query.withBacklog) return { instances };
    return {
      instances: await Promise.all(
        instances.map(async (instance) => {
          try {
            return { ...instance, outbox: await this.outbox(instance) };
          } catch (error) {
            return { ...instance, outbox: { error: messageOf(error) } };
          }
        }),
      ),
    };
  }

  /** The instance's outbox backlog, asked from its Durable Object. */
  async outbox(address: StreamAddress): Promise<OutboxBacklog> {
    const stream = this.address(address);
    return this.host(stream).outboxBacklog();
  }

  /**
   * The system's metrics as one document: commands and outbox backlogs of
   * every aggregate instance from the D1 rollup (or asked live: `instances`,
   * or the `recent` most recently active ones in the log, at most 200), projection lag and
   * stuck streams, process failures, dead-lettered streams and archive progress.
   */
  async metrics(
    params: { readonly instances?: readonly StreamAddress[]; readonly recent?: number } = {},
  ): Promise<MetricsDocument> {
    const [instances, { logHead, projections }, { processes }, archive] = await Promise.all([
      this.instanceMetrics(params),
      this.projections(),
      this.processes(),
      // An archive that cannot be read must not hide every other metric.
      this.archive().catch(() => ({
        configured: this.catalog.system.archiver !== undefined,
        status: null,
        next: null,
        lastRun: null,
      })),
    ]);
    return metricsDocumentOf({
      system: this.systemMap(),
      at: Date.now(),
      instances: instances.rows,
      source: instances.source,
      logHead,
      projections,
      processes,
      archive,
    });
  }

  /**
   * Per-instance metrics: by default every instance's row of the D1 rollup
   * (written by each instance at most once per persist interval); live from
   * the named instances, or from the `recent` most recently active ones.
   */
  private async instanceMetrics(params: {
    readonly instances?: readonly StreamAddress[];
    readonly recent?: number;
  }): Promise<{ rows: MetricsParts['instances']; source: 'rollup' | 'live' }> {
    if (params?.instances === undefined && params?.recent === undefined) {
      const now = Date.now();
      // Instances roll up into the first event-store database (ESCF_EVENTS), sharded or not.
      const rows = (await readRollup(this.logShards.databases[0]!)).map(
        ({ aggregateType, aggregateId, tenantId, commands, outbox }) => ({
          address: { aggregateType, aggregateId, ...(tenantId === undefined ? {} : { tenantId }) },
          metrics: {
            aggregateType,
            commands,
            // Ages as of now, not as of the row's write.
            outbox: {
              ...outbox,
              targets: outbox.targets.map((t) => ({
                ...t,
                oldestPendingAgeMs: t.oldestPendingAt === null ? 0 : Math.max(0, now - t.oldestPendingAt),
              })),
            },
          },
        }),
      );
      return { rows, source: 'rollup' };
    }
    let addresses: StreamAddress[];
    if (params.instances !== undefined) {
      if (!Array.isArray(params.instances) || params.instances.length > 200)
        throw new ValidationError("'instances' must be an array of at most 200 stream addresses", {
          details: {
            issues: [
              {
                path: 'instances',
                message: 'must be an array of at most 200 { aggregateType, aggregateId, tenantId? }',
              },
            ],
          },
        });
      addresses = params.instances.map((address) => this.address(address));
    } else {
      const { instances } = await this.instances({ limit: clamp(params.recent, 50, 200) });
      addresses = instances.map(({ aggregateType, aggregateId, tenantId }) => ({
        aggregateType,
        aggregateId,
        ...(tenantId === undefined ? {} : { tenantId }),
      }));
    }
    const rows = await Promise.all(
      addresses.map(async (address) => ({
        address,
        metrics: await this.host(address)
          .metrics()
          .catch(() => null),
      })),
    );
    return { rows, source: 'live' };
  }

  async stream(query: StreamQuery): Promise<StreamPage> {
    const stream = this.address(query);
    const reveal = this.reveal(query.reveal, 'stream', stream);
    const from = Math.max(1, Math.floor(Number(query.fromVersion ?? 1)) || 1);
    const limit = clamp(query.limit, 100, 500);
    const events = await this.store.readStream(toStreamId(stream), { fromVersion: from, limit: limit + 1 });
    const head = await this.headOf(stream, events);
    return {
      ...stream,
      head,
      events: events.slice(0, limit).map((event) => this.inspect(event, reveal)),
      nextVersion: events.length > limit ? events[limit]!.version : null,
    };
  }

  async stateAt(
    query: StreamAddress & { readonly version?: number; readonly reveal?: boolean },
  ): Promise<StateAtVersion> {
    const stream = this.address(query);
    const reveal = this.reveal(query.reveal, 'stateAt', stream);
    const { state, version, head } = await this.replay(stream, query.version);
    return {
      ...stream,
      version,
      head,
      state: reveal ? state : maskFields(state, this.catalog.sensitiveByAggregate.get(stream.aggregateType) ?? []),
    };
  }

  async diff(
    query: StreamAddress & { readonly from: number; readonly to: number; readonly reveal?: boolean },
  ): Promise<StateDiff> {
    const stream = this.address(query);
    const reveal = this.reveal(query.reveal, 'diff', stream);
    const sensitive = this.catalog.sensitiveByAggregate.get(stream.aggregateType) ?? [];
    const before = await this.replay(stream, requireVersion(query.from, 'from'));
    const after = await this.replay(stream, requireVersion(query.to, 'to'));
    const mask = (state: unknown) => (reveal ? state : maskFields(state, sensitive));
    return {
      ...stream,
      from: before.version,
      to: after.version,
      changes: diffStates(mask(before.state), mask(after.state)),
    };
  }

  async projections(): Promise<{ logHead: number; shardHeads?: number[]; projections: ProjectionHealth[] }> {
    const shardHeads = await this.logShards.heads();
    const logHead = headOf(shardHeads);
    const projections = await Promise.all(
      this.reactors('projection').map(async (reactor): Promise<ProjectionHealth> => {
        const base = { name: reactor.name, worker: reactor.worker, delivery: reactor.delivery, logHead };
        const service = this.service<ProjectionAdmin>(reactor);
        if (!service)
          return {
            ...base,
            status: null,
            lagEvents: null,
            lagMs: null,
            error: 'no service binding to this projection in the admin worker',
          };
        try {
          const status = await service.status();
          if (this.logShards.sharded) return { ...base, status, ...(await this.shardedLag(status, reactor.events)) };
          const pending = (await this.store.readAll({ after: status.position, limit: 1000 })).filter((e) =>
            reactor.events.includes(e.type),
          );
          return {
            ...base,
            status,
            lagEvents: pending.length,
            lagMs: pending.length === 0 ? 0 : Math.max(0, Date.now() - pending[0]!.timestamp),
          };
        } catch (error) {
          return { ...base, status: null, lagEvents: null, lagMs: null, error: messageOf(error) };
        }
      }),
    );
    return { logHead, ...(this.logShards.sharded ? { shardHeads } : {}), projections };
  }

  /**
   * A projection's lag over a sharded log: in each shard, the events of its
   * types after the highest position of that shard it has applied (counted
   * in the shard's own database), summed. Without per-shard positions (a
   * projection that does not read the sharded store) there is no lag to tell.
   */
  private async shardedLag(
    status: ProjectionStatus,
    types: readonly string[],
  ): Promise<Pick<ProjectionHealth, 'lagEvents' | 'lagMs' | 'shards'>> {
    const positions = status.shardPositions;
    const tables = this.logShards.tables;
    if (!positions || positions.length !== tables.length) return { lagEvents: null, lagMs: null };
    const counts = await Promise.all(tables.map((table, shard) => table.countAfter(positions[shard]!, types)));
    const oldest = Math.min(...counts.map((count) => count.oldest ?? Number.POSITIVE_INFINITY));
    return {
      lagEvents: counts.reduce((sum, count) => sum + count.events, 0),
      lagMs: Number.isFinite(oldest) ? Math.max(0, Date.now() - oldest) : 0,
      shards: counts.map((count, shard) => ({ position: positions[shard]!, lagEvents: count.events })),
    };
  }

  async retryStuck(params: { readonly projection: string }): Promise<DeliveryReport> {
    requireWrite(this.scope, 'retryStuck');
    const reactor = this.reactorNamed('projection', params?.projection);
    this.log('retryStuck', { projection: reactor.name });
    try {
      return await this.requireService<ProjectionAdmin>(reactor).retryStuck();
    } catch (error) {
      // A stream still failing stays stuck: report it, the status shows the new error.
      return { applied: 0, duplicates: 0, error: messageOf(error) } as DeliveryReport & { error: string };
    }
  }

  async rebuild(params: { readonly projection: string }): Promise<RebuildStatus> {
    requireWrite(this.scope, 'rebuild');
    const reactor = this.reactorNamed('projection', params?.projection);
    this.log('rebuild', { projection: reactor.name });
    const service = this.requireService<ProjectionAdmin>(reactor);
    const status = await service.rebuild();
    // A queue-fed projection carries its rebuild forward on its queue; a directly delivered one has none, so drive its steps here.
    if (reactor.delivery === 'sync') this.background(driveRebuild(service, status.generation));
    return status;
  }

  async processes(): Promise<{ processes: ProcessHealth[] }> {
    return {
      processes: await Promise.all(
        this.reactors('process').map(async (reactor): Promise<ProcessHealth> => {
          const base = {
            name: reactor.name,
            worker: reactor.worker,
            delivery: reactor.delivery,
            deadLetterQueue: reactor.deadLetterQueue ?? null,
          };
          const service = this.service<{ status?: () => Promise<unknown> }>(reactor);
          if (!service)
            return { ...base, status: null, error: 'no service binding to this process in the admin worker' };
          try {
            return { ...base, status: await service.status!() };
          } catch (error) {
            return { ...base, status: null, error: `this process reports no status: ${messageOf(error)}` };
          }
        }),
      ),
    };
  }

  /** Hands a range of the D1 log to a process again; events it handled are skipped by id (write scope). */
  async redriveProcess(params: unknown): Promise<RedriveReport> {
    requireWrite(this.scope, 'redriveProcess');
    const request = processRedriveRequest(params);
    const reactor = this.reactorNamed('process', request.process);
    this.log('redriveProcess', { process: reactor.name, ...request.range, limit: request.limit });
    return this.requireService<ProcessAdmin>(reactor).redrive(request.range, request.limit);
  }

  async archive(): Promise<ArchiveOverview> {
    const archiver = this.catalog.system.archiver?.(this.env);
    if (!archiver) return { configured: false, status: null, next: null, lastRun: null };
    const [status, next, lastRun] = await Promise.all([
      archiver.status(),
      archiver.preview(),
      this.catalog.system.lastArchiveRun?.(this.env) ?? null,
    ]);
    return { configured: true, status, next, lastRun: lastRun ?? null };
  }

  /**
   * Events committed to the log after `after` (omit it to learn the head and start tailing from there).
   * A sharded log takes one position per shard (`after: [p0, p1, …]`, as `shardHeads` reports them).
   */
  async tailEvents(
    params: { readonly after?: number | readonly number[]; readonly limit?: number; readonly reveal?: boolean } = {},
  ): Promise<TailPage> {
    const reveal = this.reveal(params.reveal, 'tailEvents', {});
    if (this.logShards.sharded) return this.tailShards(params.after, clamp(params.limit, 100, 500), reveal);
    const head = await this.logHead();
    if (params.after === undefined || params.after === null) return { head, events: [] };
    if (Array.isArray(params.after))
      throw new ValidationError("'after' is one position: the log has one shard", {
        details: { issues: [{ path: 'after', message: 'must be a number' }] },
      });
    const after = Math.max(0, Math.floor(Number(params.after)) || 0);
    if (after >= head) return { head, events: [] };
    const events = await this.store.readAll({ after, limit: clamp(params.limit, 100, 500) });
    return { head, events: events.map((event) => this.inspect(event, reveal)) };
  }

  /** The tail of a sharded log: each shard read after its own position, merged by commit time. */
  private async tailShards(after: unknown, limit: number, reveal: boolean): Promise<TailPage> {
    const shardHeads = await this.logShards.heads();
    const head = headOf(shardHeads);
    if (after === undefined || after === null) return { head, shardHeads, events: [] };
    if (
      !Array.isArray(after) ||
      after.length !== shardHeads.length ||
      !after.every((p) => Number.isInteger(p) && p >= 0)
    )
      throw new ValidationError(`'after' must be one position per shard: the log has ${shardHeads.length} shards`, {
        details: { issues: [{ path: 'after', message: `must be an array of ${shardHeads.length} integers ≥ 0` }] },
      });
    const store = this.store;
    if (!isShardedEventLog(store))
      throw new ValidationError('The configured event store does not read shard by shard', {
        details: { issues: [{ path: 'eventStore', message: 'must be a sharded event log' }] },
      });
    const pages = await Promise.all(
      shardHeads.map((shardHead, shard) =>
        after[shard] >= shardHead ? [] : store.readShard(shard, { after: after[shard], limit }),
      ),
    );
    const events = pages
      .flatMap((page, shard) => page.map((event) => ({ event, shard })))
      .sort((a, b) => a.event.timestamp - b.event.timestamp || a.shard - b.shard)
      .slice(0, limit)
      .map(({ event, shard }) => ({ ...this.inspect(event, reveal), shard }));
    return { head, shardHeads, events };
  }

  async sendCommand(request: SendCommandRequest): Promise<SendCommandOutcome> {
    requireWrite(this.scope, 'sendCommand');
    const stream = this.address(request);
    const descriptor = this.catalog.aggregate(stream.aggregateType);
    const command = requireString(request.command, 'command');
    this.log('sendCommand', { ...stream, command });
    const reply = await this.host(stream).executeSync({
      address: {
        aggregateId: stream.aggregateId,
        ...(stream.tenantId === undefined ? {} : { tenantId: stream.tenantId }),
      },
      command,
      input: request.input ?? {},
      options: { metadata: { actor: this.actor, via: 'escf-admin' } },
    });
    if (!reply.ok) return { ok: false, error: reply.error };
    void descriptor;
    return {
      ok: true,
      version: reply.value.version,
      events: reply.value.events.map((event) => this.inspect(event, false)),
    };
  }

  // ---- internals

  private shardsOfLog: LogShards | undefined;
  private get logShards(): LogShards {
    this.shardsOfLog ??= new LogShards(this.env, this.catalog.system.eventStoreShards);
    return this.shardsOfLog;
  }

  private get store(): EventStore {
    const custom = this.catalog.system.eventStore?.(this.env);
    if (custom) return custom;
    const shards = this.logShards;
    if (!shards.sharded) return new D1EventStore(shards.databases[0]!);
    const layouts = this.catalog.system.eventStoreShards?.layouts;
    return new ShardedD1EventStore(shards.databases, layouts ? { layouts } : {});
  }

  private async logHead(): Promise<number> {
    return headOf(await this.logShards.heads());
  }

  private async headOf(stream: StreamAddress, page: readonly EventEnvelope[]): Promise<number> {
    const store = this.store as EventStore & { headVersion?: (s: unknown) => Promise<number> };
    if (typeof store.headVersion === 'function') return store.headVersion(toStreamId(stream));
    return page.at(-1)?.version ?? 0;
  }

  private async replay(
    stream: StreamAddress,
    version: number | undefined,
  ): Promise<{ state: unknown; version: number; head: number }> {
    const descriptor = this.catalog.aggregate(stream.aggregateType);
    const engine = engineFor(descriptor.aggregateClass);
    const events = await this.store.readStream(toStreamId(stream));
    if (events.length === 0)
      throw new NotFound(`No events for ${stream.aggregateType} '${stream.aggregateId}'`, { details: { ...stream } });
    const target = version === undefined ? events.length : Math.min(Math.max(0, Math.floor(version)), events.length);
    const instance = engine.create(stream.aggregateId, stream.tenantId);
    engine.replay(instance, events.slice(0, target));
    return { state: engine.stateOf(instance).state, version: target, head: events.at(-1)!.version };
  }

  private inspect(event: EventEnvelope, reveal: boolean): InspectedEvent {
    const descriptor = this.catalog.registry.aggregates.get(event.aggregateType);
    let payload = event.payload;
    let readSchemaVersion = event.schemaVersion;
    let readError: InspectedEvent['readError'];
    if (descriptor) {
      try {
        const readings = descriptor.upcaster.read({
          id: event.id,
          type: event.type,
          schemaVersion: event.schemaVersion,
          payload: event.payload,
        });
        if (readings.length === 1) {
          payload = readings[0]!.payload;
          readSchemaVersion = readings[0]!.schemaVersion;
        }
      } catch (error) {
        readError = serializeError(error);
      }
    }
    const sensitive = this.catalog.registry.events.get(event.type)?.sensitive ?? [];
    const tenantId = event.metadata?.tenantId;
    return {
      id: event.id,
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      ...(typeof tenantId === 'string' ? { tenantId } : {}),
      version: event.version,
      position: event.position ?? null,
      type: event.type,
      timestamp: event.timestamp,
      storedSchemaVersion: event.schemaVersion,
      readSchemaVersion,
      payload: reveal ? payload : maskFields(payload, sensitive),
      metadata: event.metadata,
      ...(readError ? { readError } : {}),
    };
  }

  private reveal(asked: unknown, action: string, target: object): boolean {
    if (asked !== true) return false;
    requireWrite(this.scope, `${action} with reveal`);
    this.log(`${action}:reveal`, target);
    return true;
  }

  private address(value: unknown): StreamAddress {
    const v = (value ?? {}) as Partial<StreamAddress>;
    const aggregateType = this.catalog.aggregate(v.aggregateType).type;
    const aggregateId = requireString(v.aggregateId, 'aggregateId');
    const tenantId = optionalString(v.tenantId, 'tenantId');
    return { aggregateType, aggregateId, ...(tenantId === undefined ? {} : { tenantId }) };
  }

  private host(stream: StreamAddress): HostStub {
    const binding = this.catalog.system.topology.aggregates.find((a) => a.type === stream.aggregateType)?.binding;
    const namespace = binding
      ? ((this.env as Record<string, unknown>)[binding] as DurableObjectNamespace | undefined)
      : undefined;
    if (!namespace)
      throw new NotFound(`The admin worker has no Durable Object binding for aggregate '${stream.aggregateType}'`);
    return namespace.get(
      namespace.idFromName(
        durableObjectName({
          aggregateId: stream.aggregateId,
          ...(stream.tenantId === undefined ? {} : { tenantId: stream.tenantId }),
        }),
      ),
    ) as unknown as HostStub;
  }

  private reactors(kind: ReactorTopology['kind']): ReactorTopology[] {
    return this.catalog.system.topology.reactors.filter((r) => r.kind === kind);
  }

  private reactorNamed(kind: ReactorTopology['kind'], name: unknown): ReactorTopology {
    const found = this.reactors(kind).find((r) => r.name === name);
    if (!found)
      throw new NotFound(`No ${kind} named '${String(name)}'`, {
        details: { known: this.reactors(kind).map((r) => r.name) },
      });
    return found;
  }

  private service<T>(reactor: ReactorTopology): T | undefined {
    return reactor.adminBinding
      ? ((this.env as Record<string, unknown>)[reactor.adminBinding] as T | undefined)
      : undefined;
  }

  private requireService<T>(reactor: ReactorTopology): T {
    const service = this.service<T>(reactor);
    if (!service) throw new NotFound(`The admin worker has no service binding to ${reactor.kind} '${reactor.name}'`);
    return service;
  }

  private log(action: string, target: object): void {
    log({
      level: 'info',
      message: 'admin action',
      code: 'ADMIN_ACTION',
      actor: this.actor,
      scope: this.scope,
      action,
      target,
      at: new Date().toISOString(),
    });
  }
}

/** Runs rebuild steps until the rebuild of `generation` is done (bounded: the next rebuild or a manual step resumes it). */
async function driveRebuild(service: ProjectionAdmin, generation: number, budgetMs = 25_000): Promise<void> {
  const deadline = Date.now() + budgetMs;
  try {
    while (Date.now() < deadline) {
      const status = await service.rebuildStep();
      if (status?.status !== 'running' || status.generation !== generation) return;
    }
  } catch (error) {
    log({ level: 'warn', message: 'projection rebuild step failed; resume it with rebuild', error, generation });
  }
}

/** The log's head over its shards: the sum of every shard's last position (its event count, archived events included). */
function headOf(shardHeads: readonly number[]): number {
  return shardHeads.reduce((sum, head) => sum + head, 0);
}

function toStreamId(stream: StreamAddress) {
  return {
    aggregateType: stream.aggregateType,
    aggregateId: stream.aggregateId,
    ...(stream.tenantId === undefined ? {} : { tenantId: stream.tenantId }),
  };
}

function clamp(value: unknown, fallback: number, max: number): number {
  const n = Math.floor(Number(value ?? fallback));
  return Number.isFinite(n) && n > 0 ? Math.min(n, max) : fallback;
}

function requireString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 512) {
    throw new ValidationError(`'${path}' must be a non-empty string`, {
      details: { issues: [{ path, message: 'must be a non-empty string of at most 512 characters' }] },
    });
  }
  return value;
}

function optionalString(value: unknown, path: string): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : requireString(value, path);
}

function requireVersion(value: unknown, path: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new ValidationError(`'${path}' must be a version (an integer ≥ 0)`, {
      details: { issues: [{ path, message: 'must be an integer ≥ 0' }] },
    });
  return n;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
