import type { EventEnvelope } from '../events/envelope.js';

/**
 * A SQL statement a projection handler hands back for ESCF to commit in the
 * same D1 batch as the checkpoint: a `D1PreparedStatement`, or anything with
 * Drizzle's `toSQL()` (an unexecuted Drizzle query on D1).
 */
export type ProjectionStatement =
  | { bind(...values: unknown[]): unknown }
  | { toSQL(): { sql: string; params: unknown[] } };

/**
 * What a projection handler may return: nothing (it wrote on its own, at
 * least once), or statements to commit atomically with the checkpoint
 * (exactly once).
 */
export type ProjectionHandlerResult =
  | void
  | undefined
  | ProjectionStatement
  | readonly ProjectionStatement[]
  | Promise<void | undefined | ProjectionStatement | readonly ProjectionStatement[]>;

/** A `@Projection` class: constructed with the worker's `env`. */
export type ProjectionClass<P extends object = object, Env = any> = new (env: Env) => P;

/**
 * The query methods of a projection type: public methods whose first
 * parameter is not an event envelope (those are handlers). These become the
 * typed RPC surface of the generated entrypoint.
 */
export type ProjectionQueries<P> = {
  [K in keyof P as K extends 'resetReadModel'
    ? never
    : K extends string
      ? P[K] extends (...args: any[]) => any
        ? Parameters<P[K]>[0] extends EventEnvelope<any>
          ? never
          : K
        : never
      : never]: P[K];
};
