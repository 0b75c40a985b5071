import type { AggregateClass } from '../aggregate/aggregate.js';
import type { CommandAuthorization } from '../auth/command-authorization.js';
import type { EventDefinition } from '../events/event-definition.js';
import type { InputDefinition } from '../schema/input-definition.js';
import type { Upcaster } from '../upcast/upcaster.js';

/** One command of an aggregate, as the engine runs it. */
export interface CommandDescriptor {
  readonly name: string;
  readonly input: InputDefinition;
  /** Event types this command may emit, when declared with `emits`. */
  readonly emits: ReadonlySet<string> | undefined;
  /** Who may run it, when declared with `authorize`. */
  readonly authorize?: CommandAuthorization<any>;
  readonly method: (this: unknown, input: unknown) => unknown;
}

/** One event handler (reducer) of an aggregate. */
export interface ReducerDescriptor {
  readonly event: EventDefinition;
  readonly member: string | symbol;
  readonly reduce: (this: unknown, payload: unknown) => unknown;
}

/**
 * Everything the engine and the hosts need about one aggregate class,
 * validated once and frozen.
 */
export interface AggregateDescriptor {
  readonly type: string;
  readonly aggregateClass: AggregateClass;
  readonly commands: ReadonlyMap<string, CommandDescriptor>;
  /** Keyed by event type name. */
  readonly reducers: ReadonlyMap<string, ReducerDescriptor>;
  /**
   * Changes whenever code that shapes state changes (event handlers, their
   * event versions, `initialState`, `static stateVersion`). Snapshots taken
   * under another fingerprint are discarded and state is rebuilt from events.
   */
  readonly fingerprint: string;
  /** Reads this aggregate's stored events, of any schema version, as their current shape. */
  readonly upcaster: Upcaster;
}
