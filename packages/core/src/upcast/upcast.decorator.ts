import { DefinitionError } from '../errors/definition-error.js';
import type { DomainEvent, EventClass } from '../events/domain-event.js';
import { MetadataKey } from '../metadata/metadata-keys.js';
import { defineClassMetadata, getClassMetadata } from '../metadata/metadata-store.js';
import type { LensChain } from './lens.js';

// Lens chains are class metadata of the event class (the class `@Event` returns, or the raw class below it).

/**
 * Declares the history of a class-based event: the lens chain from
 * version 1 to the version the class emits (see `upcast()`). The chain's
 * current shape must equal the class's payload, which the compiler checks.
 * Stored events of older versions are read through the composed chain, so
 * handlers only ever see the newest shape; stored events are never rewritten.
 *
 * @example
 * ```ts
 * @Upcast(upcast<UserCreatedV1>().lens<UserCreatedV2>(…).lens<EventProps<UserCreated>>(…))
 * @Event('UserCreated', { version: 3 })
 * export class UserCreated extends DomainEvent<UserCreated> { … }
 * ```
 */
export function Upcast<Current>(chain: LensChain<Current, any, boolean, any>) {
  // The constraint makes the compiler compare the class's payload with the chain's current shape.
  // biome-ignore lint/correctness/noUnusedFunctionParameters: part of the TC39 decorator signature
  return <T extends abstract new (payload: Current) => DomainEvent<any>>(target: T, context?: unknown): T => {
    if (typeof target !== 'function') throw new DefinitionError('@Upcast must decorate an event class.');
    if (getClassMetadata(target, MetadataKey.Upcast))
      throw new DefinitionError(`@Upcast is declared twice on ${(target as EventClass).name}.`);
    defineClassMetadata(target, MetadataKey.Upcast, chain);
    return target as T;
  };
}

/** Records the chain of a schema-based event (`defineEvent(…, { upcast })`). */
export function setLensChain(eventClass: object, chain: LensChain<unknown, unknown>): void {
  defineClassMetadata(eventClass, MetadataKey.Upcast, chain);
}

/** The lens chain of an event class, looking through `@Event`'s wrapper to the class it wraps. */
export function lensChainOf(eventClass: object): LensChain<unknown, unknown> | undefined {
  return (
    getClassMetadata<LensChain<unknown, unknown>>(eventClass, MetadataKey.Upcast) ??
    getClassMetadata<LensChain<unknown, unknown>>(Object.getPrototypeOf(eventClass) as object, MetadataKey.Upcast)
  );
}
