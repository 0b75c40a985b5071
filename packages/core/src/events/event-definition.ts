import type { InputDefinition } from '../schema/input-definition.js';
import type { EventClass } from './domain-event.js';

/**
 * Everything ESCF knows about one event type: its stable name, its current
 * schema version, how to validate its payload and which class represents it.
 * Built by `@Event` and `defineEvent`; read by the registry.
 */
export interface EventDefinition {
  /** Stable type name stored with every event, e.g. `UserCreated`. */
  readonly type: string;
  /** Current schema version (1 for a new event). Older versions are upcast. */
  readonly version: number;
  /** The class whose instances carry the payload. */
  readonly eventClass: EventClass;
  /** How the payload is validated: the class itself (class-validator) or a Standard Schema. */
  readonly schema: InputDefinition;
  /**
   * Top-level payload fields that hold secrets or personal data (a password
   * hash, a token). Inspectors mask them and runtimes keep them out of logs
   * and away from subscribers that do not ask for them. Empty when none.
   */
  readonly sensitive: readonly string[];
}

/** Options shared by `@Event` and `defineEvent`. */
export interface EventOptions<Payload = object> {
  /** The current schema version; defaults to 1. Raise it when the payload shape changes. */
  readonly version?: number;
  /**
   * Payload fields that are sensitive (secrets, personal data), e.g.
   * `{ sensitive: ['passwordHash'] }`. See {@link EventDefinition.sensitive}.
   */
  readonly sensitive?: readonly (keyof Payload & string)[];
}
