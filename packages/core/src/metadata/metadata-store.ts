import { DefinitionError } from '../errors/definition-error.js';
import type { MetadataKey } from './metadata-keys.js';
import { SYMBOL_METADATA } from './symbol-metadata.js';

/**
 * Member metadata, stored per prototype (or constructor) and key. A WeakMap
 * keeps classes collectable and needs no `reflect-metadata` polyfill.
 */
const store = new WeakMap<object, Map<MetadataKey, Map<string | symbol, unknown>>>();

/** Records `value` for `member` of `target` under `key`. Returns false if the member already had one. */
export function defineMemberMetadata(
  target: object,
  key: MetadataKey,
  member: string | symbol,
  value: unknown,
): boolean {
  let byKey = store.get(target);
  if (!byKey) store.set(target, (byKey = new Map()));
  let members = byKey.get(key);
  if (!members) byKey.set(key, (members = new Map()));
  if (members.has(member)) return false;
  members.set(member, value);
  return true;
}

/**
 * Standard (TC39) method decorators run before their class exists, so they
 * record into the class's decorator metadata object (`context.metadata`,
 * which becomes `Class[Symbol.metadata]`) under this key; readers find it
 * from the prototype's constructor.
 */
const STANDARD_MEMBERS = Symbol('escf.members');

type MembersByKey = Map<MetadataKey, Map<string | symbol, unknown>>;

/**
 * Records `value` for the method a standard decorator decorates. Returns
 * false if the member already had one. Decorator metadata objects inherit
 * from the parent class's, so only an own entry belongs to this class.
 */
export function defineStandardMemberMetadata(
  context: ClassMethodDecoratorContext,
  key: MetadataKey,
  value: unknown,
): boolean {
  const metadata = context.metadata as Record<symbol, unknown> | undefined;
  if (!metadata) {
    throw new DefinitionError(
      `A decorator on ${String(context.name)} got no decorator metadata: the code was compiled before @escf/core was loaded, or by a compiler without Symbol.metadata support. Import @escf/core before defining decorated classes.`,
    );
  }
  if (!Object.hasOwn(metadata, STANDARD_MEMBERS)) metadata[STANDARD_MEMBERS] = new Map() as MembersByKey;
  const byKey = metadata[STANDARD_MEMBERS] as MembersByKey;
  let members = byKey.get(key);
  if (!members) byKey.set(key, (members = new Map()));
  if (members.has(context.name)) return false;
  members.set(context.name, value);
  return true;
}

/** What standard decorators recorded for the class whose prototype is `link`. */
function standardMembers(link: object, key: MetadataKey): Map<string | symbol, unknown> | undefined {
  if (!Object.hasOwn(link, 'constructor')) return undefined;
  const metadata = (link.constructor as unknown as Record<symbol, unknown>)[SYMBOL_METADATA];
  if (typeof metadata !== 'object' || metadata === null || !Object.hasOwn(metadata, STANDARD_MEMBERS)) return undefined;
  return (metadata as Record<symbol, MembersByKey>)[STANDARD_MEMBERS]!.get(key);
}

/**
 * All member metadata under `key` for `target` and its prototype chain,
 * from experimental and standard decorators alike; a subclass's entry wins
 * over its parent's for the same member.
 */
export function getMemberMetadata<T>(target: object, key: MetadataKey): Map<string | symbol, T> {
  const chain: object[] = [];
  for (
    let current: object | null = target;
    current && current !== Object.prototype;
    current = Object.getPrototypeOf(current)
  ) {
    chain.unshift(current);
  }
  const merged = new Map<string | symbol, T>();
  for (const link of chain) {
    for (const [member, value] of store.get(link)?.get(key) ?? []) merged.set(member, value as T);
    for (const [member, value] of standardMembers(link, key) ?? []) merged.set(member, value as T);
  }
  return merged;
}

/** Class-level metadata (e.g. `@Projection('users')`). */
const classStore = new WeakMap<object, Map<MetadataKey, unknown>>();

export function defineClassMetadata(target: object, key: MetadataKey, value: unknown): void {
  let byKey = classStore.get(target);
  if (!byKey) classStore.set(target, (byKey = new Map()));
  byKey.set(key, value);
}

export function getClassMetadata<T>(target: object, key: MetadataKey): T | undefined {
  return classStore.get(target)?.get(key) as T | undefined;
}

/**
 * Metadata declared by name rather than on a class (e.g. `retiredEvent('UserLoggedIn', …)`:
 * no class exists any more). Process-wide, like the classes it sits beside.
 */
const namedStore = new Map<MetadataKey, Map<string, unknown>>();

export function defineNamedMetadata(key: MetadataKey, name: string, value: unknown): void {
  let byName = namedStore.get(key);
  if (!byName) namedStore.set(key, (byName = new Map()));
  byName.set(name, value);
}

export function getNamedMetadata<T>(key: MetadataKey, name: string): T | undefined {
  return namedStore.get(key)?.get(name) as T | undefined;
}
