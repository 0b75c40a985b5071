import { ConcurrencyError, type EventEnvelope } from '@escf/core';
import { streamKey } from '@escf/core/internal';
import {
  type AppendOptions,
  type AppendResult,
  assertStreamNumbering,
  type EventStore,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StreamId,
} from '@escf/core/store';

/**
 * An {@link EventStore} in memory: for unit tests and as the reference the
 * conformance suite is written against. Events are deep-copied in and out,
 * as a real store would serialise them.
 */
export class InMemoryEventStore implements EventStore {
  private readonly log: EventEnvelope[] = [];
  private readonly streams = new Map<string, EventEnvelope[]>();

  async append(stream: StreamId, events: readonly EventEnvelope[], options: AppendOptions): Promise<AppendResult> {
    const key = streamKey(stream);
    const existing = this.streams.get(key) ?? [];
    assertStreamNumbering(events, options.expectedVersion, stream);
    const alreadyStored = events.filter((event) => existing[event.version - 1]?.id === event.id);
    if (alreadyStored.length === events.length) return { version: existing.length, appended: 0 };
    if (existing.length !== options.expectedVersion) {
      throw ConcurrencyError.between(options.expectedVersion, existing.length, key);
    }
    for (const event of events) {
      const stored = { ...structuredClone(event), position: this.log.length + 1 };
      this.log.push(stored);
      existing.push(stored);
    }
    this.streams.set(key, existing);
    return { version: existing.length, appended: events.length };
  }

  async readStream(stream: StreamId, options: ReadStreamOptions = {}): Promise<EventEnvelope[]> {
    const from = Math.max(1, options.fromVersion ?? 1);
    const events = (this.streams.get(streamKey(stream)) ?? []).slice(from - 1);
    return structuredClone(options.limit === undefined ? events : events.slice(0, options.limit));
  }

  async readAll(options: ReadAllOptions): Promise<EventEnvelope[]> {
    const after = options.after ?? 0;
    return structuredClone(this.log.slice(after, after + options.limit));
  }
}
