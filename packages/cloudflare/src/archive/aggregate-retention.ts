import type { EventEnvelope } from '@escf/core';
import { batchStreamKey } from '@escf/core/internal';
import type { StreamId } from '@escf/core/store';
import { type AggregateAddress, durableObjectName } from '../aggregate/aggregate-address.js';
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

/** What an aggregate host's `retain` RPC is asked to do. */
export interface RetainRequest {
  readonly address: AggregateAddress;
  /** Delete local events up to this version (they are archived). Omit to only snapshot. */
  readonly pruneThrough?: number;
  /** Required with `pruneThrough`: where the host reads pruned history back when its snapshot is stale. */
  readonly history?: HistorySource;
}

/** What `retain` did. */
export interface RetainResult {
  /** The version of the snapshot now stored (the current version). */
  readonly snapshotVersion: number;
  /** Local events deleted. */
  readonly pruned: number;
  /** Every local event up to this version is gone (0 = none). */
  readonly prunedThrough: number;
}

/** The aggregate's current state, as the host knows it. */
export interface CurrentState {
  readonly version: number;
  readonly state: unknown;
  readonly fingerprint: string;
}

/**
 * Retention inside one aggregate's Durable Object (called by the host's
 * `retain` RPC): snapshots the current state, then deletes local events that
 * are (a) covered by that snapshot, (b) delivered to every outbox target, and
 * (c) at most `pruneThrough` — the versions the archiver moved to R2. Records
 * how far it pruned and where that history lives, so a host whose snapshot
 * is later invalidated by a code change reads it back (see {@link prunedHistory}).
 */
export function retainInStorage(
  storage: DurableObjectStorage,
  current: CurrentState,
  request: RetainRequest,
): RetainResult {
  const sql = storage.sql;
  ensureRetentionTable(sql);
  return storage.transactionSync(() => {
    const snapshot = sql
      .exec<{ version: number; fingerprint: string }>('SELECT version, fingerprint FROM escf_snapshot WHERE id = 1')
      .toArray()[0];
    if (
      current.version > 0 &&
      (!snapshot || snapshot.version < current.version || snapshot.fingerprint !== current.fingerprint)
    ) {
      sql.exec(
        'INSERT OR REPLACE INTO escf_snapshot (id, version, state, fingerprint) VALUES (1, ?, ?, ?)',
        current.version,
        JSON.stringify(current.state),
        current.fingerprint,
      );
    }
    const previous = readPrunedThrough(sql);
    if (request.pruneThrough === undefined || !request.history)
      return { snapshotVersion: current.version, pruned: 0, prunedThrough: previous };
    const delivered = sql
      .exec<{ low: number | null; targets: number }>(
        'SELECT MIN(delivered_version) AS low, COUNT(*) AS targets FROM escf_outbox_cursors',
      )
      .one();
    const limit = Math.min(request.pruneThrough, current.version, delivered.targets > 0 ? (delivered.low ?? 0) : 0);
    if (limit <= previous) return { snapshotVersion: current.version, pruned: 0, prunedThrough: previous };
    const pruned = sql.exec('DELETE FROM escf_events WHERE version <= ?', limit).rowsWritten;
    sql.exec(
      'INSERT OR REPLACE INTO escf_retention (id, pruned_through, history) VALUES (1, ?, ?)',
      limit,
      JSON.stringify(request.history),
    );
    return { snapshotVersion: current.version, pruned, prunedThrough: limit };
  });
}

/**
 * The pruned events after `from`, read back from the archive, for a host
 * that must replay further back than its local events reach (its snapshot is
 * missing or was taken by other code). Empty when nothing was pruned past `from`.
 */
export async function prunedHistory(
  storage: DurableObjectStorage,
  env: unknown,
  stream: StreamId,
  from: number,
): Promise<EventEnvelope[]> {
  // Never pruned (or never written): nothing to read, and no table created by a read.
  if (
    storage.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'escf_retention'").toArray()
      .length === 0
  )
    return [];
  const row = storage.sql
    .exec<{ pruned_through: number; history: string }>(
      'SELECT pruned_through, history FROM escf_retention WHERE id = 1',
    )
    .toArray()[0];
  if (!row || row.pruned_through <= from) return [];
  const source = JSON.parse(row.history) as HistorySource;
  const bindings = env as Record<string, unknown>;
  const store = new ArchivingEventStore(bindings[source.d1] as D1Database, bindings[source.bucket] as R2Bucket, {
    table: source.table,
    prefix: source.prefix,
  });
  const events = await store.readStream(stream, { fromVersion: from + 1, limit: row.pruned_through - from });
  if (events.length !== row.pruned_through - from) {
    throw new Error(
      `Pruned history of ${batchStreamKey({ tenantId: stream.tenantId ?? '', ...stream })} is incomplete: expected versions ${from + 1}..${row.pruned_through}, found ${events.length}`,
    );
  }
  return events;
}

function ensureRetentionTable(sql: SqlStorage): void {
  sql.exec(
    'CREATE TABLE IF NOT EXISTS escf_retention (id INTEGER PRIMARY KEY CHECK (id = 1), pruned_through INTEGER NOT NULL, history TEXT NOT NULL)',
  );
}

function readPrunedThrough(sql: SqlStorage): number {
  return (
    sql.exec<{ pruned_through: number }>('SELECT pruned_through FROM escf_retention WHERE id = 1').toArray()[0]
      ?.pruned_through ?? 0
  );
}

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
