import { DefinitionError } from '../errors/definition-error.js';
import type { DomainEvent } from '../events/domain-event.js';
import { checkedTypeName } from '../events/event.decorator.js';
import { MetadataKey } from '../metadata/metadata-keys.js';
import { defineNamedMetadata, getNamedMetadata } from '../metadata/metadata-store.js';

/** How a stored event looks to the upcaster. */
export interface StoredEventReading {
  readonly type: string;
  readonly schemaVersion: number;
  readonly payload: unknown;
}

/**
 * What a retired event is read as: current event instances (already in
 * their newest shape), older readings that go through their own chains, or
 * nothing at all (a removal).
 */
export type RetiredEventReader = (
  payload: any,
  stored: StoredEventReading & { readonly id?: string },
) => ReadonlyArray<DomainEvent<any> | StoredEventReading>;

/**
 * Declares an event type that code no longer emits but that is still stored:
 * a **split** (one old event read as several new ones), a **rename** into an
 * event that also changed shape, or a **removal** (`() => []`: old events
 * that no longer matter are skipped). Declare it once, next to the events
 * that replaced it; every reader (aggregates, projections, processes) uses it.
 *
 * @example
 * ```ts
 * retiredEvent('UserProfileChanged', (p: { name: string; email: string }) => [
 *   new UserRenamed({ name: p.name }),
 *   new UserEmailChanged({ email: p.email }),
 * ]);
 * retiredEvent('UserLoggedIn', () => []); // no longer matters
 * ```
 */
export function retiredEvent(type: string, readAs: RetiredEventReader): void {
  checkedTypeName(type, `retiredEvent('${type}')`);
  const existing = retiredEventReader(type);
  if (existing && existing !== readAs && existing.toString() !== readAs.toString()) {
    throw new DefinitionError(`retiredEvent('${type}') is declared twice with different readers; keep one.`);
  }
  defineNamedMetadata(MetadataKey.RetiredEvent, type, readAs);
}

/** The reader of a retired event type, if one was declared. */
export function retiredEventReader(type: string): RetiredEventReader | undefined {
  return getNamedMetadata<RetiredEventReader>(MetadataKey.RetiredEvent, type);
}
