import { batchStreamKey } from '@escf/core/internal';
import type { StreamId } from '@escf/core/store';
import { type AggregateAddress, durableObjectName } from '../aggregate/aggregate-address.js';
import type { PrunedHistoryReader } from '../aggregate/pruned-history.js';
import type { RetainRequest, RetainResult } from '../aggregate/retain-request.js';
import { type RpcReply, unwrapReply } from '../rpc/error-encoding.js';
import { ArchivingEventStore } from './archiving-event-store.js';
import type { AggregateRetentionHooks } from './event-archiver.js';

/** Where a pruned aggregate reads its archived history back from (binding names, resolved on the object's env). */
export interface HistorySource {
  /** D1 binding of the event store. */
  readonly d1: string;
  /** R2 binding of the archive. */
  readonly bucket: string;
  readonly table: string;
  readonly prefix: string;
}

/**
 * The {@link PrunedHistoryReader} for history that `durableObjectRetention`
 * pruned: reads it back from the archive (R2 + D1) named by the recorded
 * {@link HistorySource}. Pass it to the hosts of aggregates whose Durable
 * Objects are pruned: `durableObjectFor(Order, { prunedHistory: archivedHistory })`.
 */
export const archivedHistory: PrunedHistoryReader = {
  read(env, source, stream, fromVersion, throughVersion) {
    const where = source as HistorySource;
    const bindings = env as Record<string, unknown>;
    const store = new ArchivingEventStore(bindings[where.d1] as D1Database, bindings[where.bucket] as R2Bucket, {
      table: where.table,
      prefix: where.prefix,
    });
    return store.readStream(stream, { fromVersion, limit: throughVersion - fromVersion + 1 });
  },
};

/** The RPC surface of an aggregate host that {@link durableObjectRetention} calls. */
interface RetainingHost {
  retain(request: RetainRequest): Promise<RpcReply<RetainResult>>;
}

/** Options of {@link durableObjectRetention}. */
export interface DurableObjectRetentionOptions {
  /** Durable Object namespace binding per aggregate type, e.g. `{ Order: 'ORDER_AGGREGATE' }`. */
  readonly bindings: Readonly<Record<string, string>>;
  /** Where pruned objects read history back: the archiver's D1 and R2 bindings, table and prefix. */
  readonly history: HistorySource;
}

/**
 * {@link AggregateRetentionHooks} over the aggregate hosts of
 * `durableObjectFor`: snapshots and pruning are RPCs to each aggregate's
 * Durable Object (one subrequest per aggregate; the archiver's per-run budget
 * bounds how many).
 *
 * @example
 * ```ts
 * new EventArchiver(env.ESCF_EVENTS, env.ESCF_ARCHIVE, {
 *   retention: { default: retention.keepSinceSnapshot(), pruneDurableObjects: true },
 *   aggregates: durableObjectRetention(env, {
 *     bindings: { Order: 'ORDER_AGGREGATE' },
 *     history: { d1: 'ESCF_EVENTS', bucket: 'ESCF_ARCHIVE', table: 'escf_events', prefix: defaultArchivePrefix() },
 *   }),
 * });
 * ```
 */
export function durableObjectRetention(env: unknown, options: DurableObjectRetentionOptions): AggregateRetentionHooks {
  const hostOf = (stream: StreamId): RetainingHost | null => {
    const binding = options.bindings[stream.aggregateType];
    const namespace = binding
      ? ((env as Record<string, unknown>)[binding] as DurableObjectNamespace | undefined)
      : undefined;
    if (!namespace) return null;
    return namespace.get(namespace.idFromName(durableObjectName(addressOf(stream)))) as unknown as RetainingHost;
  };
  return {
    async snapshot(streams) {
      const versions = new Map<string, number>();
      for (const stream of streams) {
        const host = hostOf(stream);
        if (!host) continue; // no binding: its streams are not archived under keepSinceSnapshot
        const result = unwrapReply(await host.retain({ address: addressOf(stream) }));
        versions.set(batchStreamKey({ tenantId: stream.tenantId ?? '', ...stream }), result.snapshotVersion);
      }
      return versions;
    },
    async prune(stream, throughVersion) {
      const host = hostOf(stream);
      if (!host) return 0;
      return unwrapReply(
        await host.retain({ address: addressOf(stream), pruneThrough: throughVersion, history: options.history }),
      ).pruned;
    },
  };
}

function addressOf(stream: StreamId): AggregateAddress {
  return { aggregateId: stream.aggregateId, ...(stream.tenantId === undefined ? {} : { tenantId: stream.tenantId }) };
}
