/**
 * @escf/cloudflare/admin — the standard admin entrypoint of an ESCF system
 * (`EscfAdmin`): the system map, instances, streams with time travel,
 * projection and process health, the archive, a live tail and explicit
 * actions, over token-guarded RPC and HTTP. The ESCF console is its UI.
 *
 * @packageDocumentation
 */

export { type ErrorBody, errorJson, replyResponse } from '../http/error-response.js';
export type { AdminSystem } from './admin-api.js';
export {
  ADMIN_METHODS,
  type AdminEntrypointClass,
  type AdminEntrypointOptions,
  type AdminRpc,
  adminEntrypoint,
} from './admin-entrypoint.js';
export { type AdminCredentials, type AdminScope, type AdminTokenBindings, sameSecret } from './admin-token.js';
export type * from './admin-types.js';
export { type LiveTailOptions, liveTailResponse, parseTailCursor, type TailCursor } from './live-tail.js';
export type { AdminEventStoreShards } from './log-shards.js';
export type {
  AggregateTypeMetrics,
  FailingDelivery,
  LatencySummary,
  MetricsDocument,
  OutboxTargetMetrics,
  ReactorMetrics,
} from './metrics-document.js';
export type { OutboxBacklog, OutboxTargetBacklog } from './outbox-backlog.js';
export type { ProcessRedriveRequest } from './process-redrive.js';
export { MASKED } from './sensitive-fields.js';
export type { StateChange } from './state-diff.js';
export type { AggregateTopology, ReactorTopology, SystemTopology } from './system-topology.js';
