import { WorkerEntrypoint } from 'cloudflare:workers';
import { ValidationError } from '@escf/core';
import { errorJson, errorResponse, replyResponse } from '../http/error-response.js';
import { prometheusTextOf } from '../metrics/prometheus-text.js';
import type { RedriveReport } from '../process/process-entrypoint.js';
import type { DeliveryReport } from '../projection/projection-entrypoint.js';
import type { RebuildStatus } from '../projection/projection-status.js';
import { type RpcReply, replyFrom } from '../rpc/error-encoding.js';
import { bearerTokenOf } from '../security/bearer-token.js';
import { AdminApi, AdminCatalog, type AdminSystem } from './admin-api.js';
import { type AdminCredentials, type AdminTokenBindings, scopeOf } from './admin-token.js';
import type {
  ArchiveOverview,
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
import { liveTailResponse, parseTailCursor } from './live-tail.js';
import type { MetricsDocument } from './metrics-document.js';
import type { OutboxBacklog } from './outbox-backlog.js';
import type { ProcessRedriveRequest } from './process-redrive.js';

/** Options of {@link adminEntrypoint}. */
export interface AdminEntrypointOptions<Env> extends AdminSystem<Env>, AdminTokenBindings {}

/** The admin methods callable over RPC (each takes the caller's credentials first) and over HTTP. */
export interface AdminRpc {
  systemMap(credentials: AdminCredentials): Promise<RpcReply<SystemMap>>;
  instances(credentials: AdminCredentials, query?: InstanceQuery): Promise<RpcReply<{ instances: InstanceSummary[] }>>;
  outbox(credentials: AdminCredentials, address: StreamAddress): Promise<RpcReply<OutboxBacklog>>;
  stream(credentials: AdminCredentials, query: StreamQuery): Promise<RpcReply<StreamPage>>;
  stateAt(
    credentials: AdminCredentials,
    query: StreamAddress & { version?: number; reveal?: boolean },
  ): Promise<RpcReply<StateAtVersion>>;
  diff(
    credentials: AdminCredentials,
    query: StreamAddress & { from: number; to: number; reveal?: boolean },
  ): Promise<RpcReply<StateDiff>>;
  projections(
    credentials: AdminCredentials,
  ): Promise<RpcReply<{ logHead: number; shardHeads?: number[]; projections: ProjectionHealth[] }>>;
  retryStuck(credentials: AdminCredentials, params: { projection: string }): Promise<RpcReply<DeliveryReport>>;
  rebuild(credentials: AdminCredentials, params: { projection: string }): Promise<RpcReply<RebuildStatus>>;
  processes(credentials: AdminCredentials): Promise<RpcReply<{ processes: ProcessHealth[] }>>;
  archive(credentials: AdminCredentials): Promise<RpcReply<ArchiveOverview>>;
  tailEvents(
    credentials: AdminCredentials,
    params?: { after?: number | readonly number[]; limit?: number; reveal?: boolean },
  ): Promise<RpcReply<TailPage>>;
  sendCommand(credentials: AdminCredentials, request: SendCommandRequest): Promise<RpcReply<SendCommandOutcome>>;
  metrics(
    credentials: AdminCredentials,
    params?: { instances?: StreamAddress[]; recent?: number },
  ): Promise<RpcReply<MetricsDocument>>;
  /** Re-drives a process over a range of the D1 log (write scope): lost deliveries run once, handled events are skipped. */
  redriveProcess(credentials: AdminCredentials, request: ProcessRedriveRequest): Promise<RpcReply<RedriveReport>>;
}

/** The names of the admin methods, as routed over HTTP (`POST /<name>`). */
export const ADMIN_METHODS = [
  'systemMap',
  'instances',
  'outbox',
  'stream',
  'stateAt',
  'diff',
  'projections',
  'retryStuck',
  'rebuild',
  'processes',
  'archive',
  'tailEvents',
  'sendCommand',
  'metrics',
  'redriveProcess',
] as const satisfies readonly (keyof AdminRpc)[];

type AdminMethod = (typeof ADMIN_METHODS)[number];

/**
 * The standard admin entrypoint of an ESCF system, added by `escf generate`
 * to the worker that owns the event store (export name `EscfAdmin`). It
 * answers over RPC (`env.ESCF_ADMIN.stream(credentials, …)`, for the
 * console) and over HTTP (`POST /<method>` with a JSON body of parameters,
 * `GET /tail/stream` for server-sent events), always with
 * `Authorization: Bearer <token>` or the credentials argument:
 *
 * - no token secret configured → every call is refused (`UNAUTHORIZED`);
 * - the read token sees everything, sensitive event fields masked;
 * - `GET /metrics` answers the metrics document, or the Prometheus text
 *   format with `Accept: text/plain` or `?format=prometheus`;
 * - the write token may also act (`retryStuck`, `rebuild`, `sendCommand`,
 *   `redriveProcess`) and reveal sensitive fields; every action is logged
 *   with its actor.
 *
 * Tokens are compared in constant time and never read from URLs.
 */
export function adminEntrypoint<Env>(options: AdminEntrypointOptions<Env>): AdminEntrypointClass<Env> {
  let catalog: AdminCatalog | undefined;
  const catalogOf = () => (catalog ??= new AdminCatalog(options));

  class EscfAdmin extends WorkerEntrypoint<Env> implements AdminRpc {
    async #api(credentials: AdminCredentials | undefined): Promise<AdminApi<Env>> {
      const scope = await scopeOf(this.env as object, options, credentials?.token);
      const actor =
        typeof credentials?.actor === 'string' && credentials.actor.length > 0
          ? credentials.actor.slice(0, 200)
          : `${scope}-token`;
      return new AdminApi(catalogOf(), this.env, scope, actor, (work) => this.ctx.waitUntil(work));
    }

    #call<T>(credentials: AdminCredentials, run: (api: AdminApi<Env>) => T | Promise<T>): Promise<RpcReply<T>> {
      return replyFrom(async () => run(await this.#api(credentials)));
    }

    systemMap(c: AdminCredentials) {
      return this.#call(c, (api) => api.systemMap());
    }
    instances(c: AdminCredentials, query?: InstanceQuery) {
      return this.#call(c, (api) => api.instances(query));
    }
    outbox(c: AdminCredentials, address: StreamAddress) {
      return this.#call(c, (api) => api.outbox(address));
    }
    stream(c: AdminCredentials, query: StreamQuery) {
      return this.#call(c, (api) => api.stream(query));
    }
    stateAt(c: AdminCredentials, query: StreamAddress & { version?: number; reveal?: boolean }) {
      return this.#call(c, (api) => api.stateAt(query));
    }
    diff(c: AdminCredentials, query: StreamAddress & { from: number; to: number; reveal?: boolean }) {
      return this.#call(c, (api) => api.diff(query));
    }
    projections(c: AdminCredentials) {
      return this.#call(c, (api) => api.projections());
    }
    retryStuck(c: AdminCredentials, params: { projection: string }) {
      return this.#call(c, (api) => api.retryStuck(params));
    }
    rebuild(c: AdminCredentials, params: { projection: string }) {
      return this.#call(c, (api) => api.rebuild(params));
    }
    processes(c: AdminCredentials) {
      return this.#call(c, (api) => api.processes());
    }
    archive(c: AdminCredentials) {
      return this.#call(c, (api) => api.archive());
    }
    tailEvents(c: AdminCredentials, params?: { after?: number | readonly number[]; limit?: number; reveal?: boolean }) {
      return this.#call(c, (api) => api.tailEvents(params));
    }
    sendCommand(c: AdminCredentials, request: SendCommandRequest) {
      return this.#call(c, (api) => api.sendCommand(request));
    }
    redriveProcess(c: AdminCredentials, request: ProcessRedriveRequest) {
      return this.#call(c, (api) => api.redriveProcess(request));
    }

    metrics(c: AdminCredentials, params?: { instances?: StreamAddress[]; recent?: number }) {
      return this.#call(c, (api) => api.metrics(params));
    }

    override async fetch(request: Request): Promise<Response> {
      const credentials: AdminCredentials = {
        token: bearerTokenOf(request),
        ...(request.headers.get('x-escf-actor') ? { actor: request.headers.get('x-escf-actor')! } : {}),
      };
      const { pathname, searchParams } = new URL(request.url);
      const name = pathname.replace(/^\/+|\/+$/g, '');
      if (request.method === 'GET' && name === 'tail/stream') {
        let api: AdminApi<Env>;
        try {
          api = await this.#api(credentials);
        } catch (error) {
          return errorResponse(error);
        }
        const after = parseTailCursor(searchParams.get('after') ?? request.headers.get('last-event-id'));
        return liveTailResponse({
          read: (position) => api.tailEvents({ ...(position === undefined ? {} : { after: position }) }),
          ...(after === undefined ? {} : { after }),
          signal: request.signal,
        });
      }
      if (request.method === 'GET' && name === 'metrics' && wantsPrometheus(request, searchParams)) {
        const recent = searchParams.get('recent');
        const reply = await this.metrics(credentials, recent === null ? {} : { recent: Number(recent) });
        if (!reply.ok) return replyResponse(reply);
        return new Response(prometheusTextOf(reply.value), {
          headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
        });
      }
      if (!(ADMIN_METHODS as readonly string[]).includes(name)) {
        return errorJson(404, 'NOT_FOUND', `No admin method '${name}'`, { methods: [...ADMIN_METHODS] });
      }
      if (request.method !== 'POST' && request.method !== 'GET') {
        return errorJson(405, 'METHOD_NOT_ALLOWED', 'Use POST (or GET without parameters)');
      }
      let params: unknown;
      if (request.method === 'POST') {
        const text = await request.text();
        try {
          params = text.trim() === '' ? undefined : JSON.parse(text);
        } catch {
          return errorResponse(
            new ValidationError('The request body is not valid JSON', {
              details: { issues: [{ path: '', message: 'must be a JSON object of parameters' }] },
            }),
          );
        }
      }
      const method = (
        this as unknown as Record<AdminMethod, (c: AdminCredentials, p: unknown) => Promise<RpcReply<unknown>>>
      )[name as AdminMethod];
      const reply = await method.call(this, credentials, params);
      // Success keeps the reply shape ({ ok: true, value }); an error is the one HTTP error body.
      return replyResponse(reply);
    }
  }
  return EscfAdmin;
}

/** The class {@link adminEntrypoint} returns: export it from the worker that owns the event store. */
export type AdminEntrypointClass<Env> = new (
  ctx: ExecutionContext,
  env: Env,
) => WorkerEntrypoint<Env> & AdminRpc & { fetch(request: Request): Promise<Response> };

function wantsPrometheus(request: Request, searchParams: URLSearchParams): boolean {
  if (searchParams.get('format') === 'prometheus') return true;
  const accept = request.headers.get('accept') ?? '';
  return accept.includes('text/plain') || accept.includes('application/openmetrics-text');
}
