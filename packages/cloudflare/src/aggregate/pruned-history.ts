import { DefinitionError, type EventEnvelope } from '@escf/core';
import { batchStreamKey } from '@escf/core/internal';
import type { StreamId } from '@escf/core/store';
import type { AggregateStorage } from './aggregate-storage.js';

/**
 * The port through which an aggregate host reads back history that
 * retention pruned from its own storage (its snapshot is missing or was
 * taken by other code). Retention provides it — `archivedHistory` from
 * `@escf/cloudflare/archive` — so the host never depends on the archive.
 */
export interface PrunedHistoryReader {
  /**
   * Versions `fromVersion..throughVersion` of `stream`, from where `source`
   * says they are (what retention recorded when it pruned, e.g. binding names).
   */
  read(
    env: unknown,
    source: unknown,
    stream: StreamId,
    fromVersion: number,
    throughVersion: number,
  ): Promise<EventEnvelope[]>;
}

/**
 * The pruned events after `from` that a load must replay before the local
 * ones; empty when nothing was pruned past `from`. Throws when history was
 * pruned but the host has no reader, or the reader returns an incomplete range.
 */
export async function readPrunedHistory(
  storage: AggregateStorage,
  reader: PrunedHistoryReader | undefined,
  env: unknown,
  stream: StreamId,
  from: number,
): Promise<EventEnvelope[]> {
  const pruned = storage.readPruned();
  if (!pruned || pruned.throughVersion <= from) return [];
  const key = batchStreamKey({ tenantId: stream.tenantId ?? '', ...stream });
  if (!reader) {
    throw new DefinitionError(
      `${key} has events 1..${pruned.throughVersion} pruned by retention and no snapshot that covers them: host ${stream.aggregateType} with durableObjectFor(${stream.aggregateType}, { prunedHistory: archivedHistory }) (from @escf/cloudflare/archive).`,
    );
  }
  const events = await reader.read(env, pruned.source, stream, from + 1, pruned.throughVersion);
  if (events.length !== pruned.throughVersion - from) {
    throw new Error(
      `Pruned history of ${key} is incomplete: expected versions ${from + 1}..${pruned.throughVersion}, found ${events.length}`,
    );
  }
  return events;
}
