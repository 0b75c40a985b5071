/**
 * The slot through which the engine gives an aggregate instance its identity
 * and current state. Internal: not exported from the package index, so user
 * code can read `this.state` but never replace it.
 */
export const AGGREGATE_CONTEXT = Symbol('escf.aggregate.context');

export interface AggregateContext<S> {
  id: string;
  tenantId: string | undefined;
  version: number;
  state: S;
  /** The time of the command being decided (from the host's clock); unset during replay. */
  now?: number;
}
