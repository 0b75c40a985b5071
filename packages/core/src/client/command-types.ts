import type { Aggregate } from '../aggregate/aggregate.js';
import type { Principal } from '../auth/principal.js';
import type { EventEnvelope } from '../events/envelope.js';

/**
 * The names of an aggregate's commands at the type level: its public
 * methods that take one input. Keep helpers `private`/`protected` so they do
 * not show up here (calling them at run time is `UNKNOWN_COMMAND`).
 */
export type CommandNames<A extends Aggregate<any>> = {
  [K in Exclude<keyof A, keyof Aggregate<any>>]: A[K] extends (input: any) => unknown ? K : never;
}[Exclude<keyof A, keyof Aggregate<any>>] &
  string;

/** The input type of one command (what the method receives). */
export type CommandInput<A extends Aggregate<any>, K extends CommandNames<A>> = A[K] extends () => unknown
  ? Record<string, never>
  : A[K] extends (input: infer I) => unknown
    ? I
    : never;

/** Per-call options every host accepts. */
export interface ExecuteOptions {
  /** Fail with `CONCURRENCY_CONFLICT` unless the aggregate is at this version. */
  readonly expectedVersion?: number;
  /** A retry with the same key returns the first result and appends nothing. */
  readonly idempotencyKey?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  /** Extra metadata stored with every event (JSON values). */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /**
   * Who issues the command (authenticated by the caller): checked by the
   * command's `authorize` option and recorded as each event's
   * `metadata.principal`.
   */
  readonly principal?: Principal;
}

/** What executing a command returns. */
export interface CommandResult {
  readonly aggregateType: string;
  readonly aggregateId: string;
  /** The aggregate's version after the command. */
  readonly version: number;
  /** The events the command appended (empty for a command that emitted none). */
  readonly events: readonly EventEnvelope[];
}

/**
 * A typed handle on one aggregate instance: one method per command. Hosts
 * (in-memory, Durable Object client) implement it.
 *
 * @example
 * ```ts
 * const user: AggregateClient<User> = …;
 * await user.create({ name: 'Ada', email: 'ada@example.com', password: 'secret' });
 * // @ts-expect-error — unknown command
 * await user.explode({});
 * ```
 */
export type AggregateClient<A extends Aggregate<any>> = {
  readonly [K in CommandNames<A>]: {} extends CommandInput<A, K>
    ? (input?: CommandInput<A, K>, options?: ExecuteOptions) => Promise<CommandResult>
    : (input: CommandInput<A, K>, options?: ExecuteOptions) => Promise<CommandResult>;
};
