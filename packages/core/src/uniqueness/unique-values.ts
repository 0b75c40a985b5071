import type { AggregateClass } from '../aggregate/aggregate.js';
import { DefinitionError } from '../errors/definition-error.js';

/**
 * Values that must be unique across all instances of an aggregate type (an
 * email address across all users), declared as a static `unique` map on the
 * aggregate class: namespace → the value the instance holds in a state, or
 * null when it holds none (e.g. once deleted). After each command the host
 * claims new values before committing and releases old ones after; a value
 * held by another instance refuses the command with 409
 * `UNIQUE_VALUE_TAKEN`. Values are compared normalised
 * ({@link normalizeUniqueValue}: NFC, trimmed, lower case).
 *
 * @example
 * ```ts
 * export class User extends Aggregate<UserState> {
 *   static readonly type = 'User';
 *   static readonly unique: UniqueValues<UserState> = { email: (s) => (s.status === 'active' ? s.email : null) };
 * }
 * ```
 */
export type UniqueValues<S> = Readonly<Record<string, (state: S) => string | null | undefined>>;

/** The form in which unique values are compared and claimed: Unicode NFC, trimmed, lower case. */
export function normalizeUniqueValue(value: string): string {
  return value.normalize('NFC').trim().toLowerCase();
}

/** The aggregate class's `static unique` declaration, checked; undefined when it has none. */
export function uniqueValuesOf(aggregateClass: AggregateClass): UniqueValues<unknown> | undefined {
  const declared = (aggregateClass as unknown as { unique?: unknown }).unique;
  if (declared === undefined) return undefined;
  if (
    typeof declared !== 'object' ||
    declared === null ||
    Object.values(declared).some((f) => typeof f !== 'function')
  ) {
    throw new DefinitionError(
      `${aggregateClass.type}.unique must map namespaces to functions of the state, e.g. { email: (s) => s.email }.`,
    );
  }
  return declared as UniqueValues<unknown>;
}

/** The normalised unique values a state holds, by namespace (namespaces holding none are absent). */
export function uniqueValuesHeld(unique: UniqueValues<unknown>, state: unknown): Map<string, string> {
  const held = new Map<string, string>();
  for (const [namespace, valueIn] of Object.entries(unique)) {
    const value = valueIn(state);
    if (typeof value === 'string' && value.trim() !== '') held.set(namespace, normalizeUniqueValue(value));
  }
  return held;
}
