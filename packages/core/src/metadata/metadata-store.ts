import type { MetadataKey } from './metadata-keys.js';

/**
 * Member metadata, stored per prototype (or constructor) and key. A WeakMap
 * keeps classes collectable and needs no `reflect-metadata` polyfill.
 */
const store = new WeakMap<object, Map<MetadataKey, Map<string | symbol, unknown>>>();

/** Records `value` for `member` of `target` under `key`. Returns false if the member already had one. */
export function defineMemberMetadata(target: object, key: MetadataKey, member: string | symbol, value: unknown): boolean {
  let byKey = store.get(target);
  if (!byKey) store.set(target, (byKey = new Map()));
  let members = byKey.get(key);
  if (!members) byKey.set(key, (members = new Map()));
  if (members.has(member)) return false;
  members.set(member, value);
  return true;
}

/**
 * All member metadata under `key` for `target` and its prototype chain;
 * a subclass's entry wins over its parent's for the same member.
 */
export function getMemberMetadata<T>(target: object, key: MetadataKey): Map<string | symbol, T> {
  const chain: object[] = [];
  for (let current: object | null = target; current && current !== Object.prototype; current = Object.getPrototypeOf(current)) {
    chain.unshift(current);
  }
  const merged = new Map<string | symbol, T>();
  for (const link of chain) {
    for (const [member, value] of store.get(link)?.get(key) ?? []) merged.set(member, value as T);
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
