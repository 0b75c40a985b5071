import { DefinitionError } from '@escf/core';
import { EVENT_STORE_BINDING } from '@escf/core/internal';
import type { EventStore } from '@escf/core/store';
import { D1EventStore } from '../event-store/d1-event-store.js';
import type { ProjectionSettings } from './projection-settings.js';

/** Where a projection reads the log from (to fill gaps, retry and rebuild): the option, else the D1 event store. */
export function projectionEventStore<Env>(settings: ProjectionSettings<Env>, env: Env): EventStore {
  if (settings.options.eventStore) return settings.options.eventStore(env);
  const events = (env as Record<string, unknown>)[EVENT_STORE_BINDING] as D1Database | undefined;
  if (!events)
    throw new DefinitionError(
      `Projection '${settings.descriptor.name}' needs the D1 binding '${EVENT_STORE_BINDING}' (the event store) to fill gaps and rebuild.`,
    );
  return new D1EventStore(events);
}

/** The log's last global position, for rebuild progress: the option, else a read of the D1 event store. */
export function projectionLogHead<Env>(settings: ProjectionSettings<Env>, env: Env): () => Promise<number | null> {
  const logHead = settings.options.logHead;
  return logHead ? () => logHead(env) : () => defaultLogHead(env as object);
}

async function defaultLogHead(env: object): Promise<number | null> {
  const events = (env as Record<string, unknown>)[EVENT_STORE_BINDING] as D1Database | undefined;
  if (!events) return null;
  try {
    const row = await events
      .prepare('SELECT MAX(position + event_count - 1) AS head FROM escf_events')
      .first<{ head: number | null }>();
    return row?.head ?? 0;
  } catch {
    return null; // a different store layout: progress without a target
  }
}
