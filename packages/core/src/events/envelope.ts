/**
 * Metadata carried by every stored event. `correlationId` ties together
 * everything caused by one original request; `causationId` names the command
 * or event that directly caused this one.
 */
export interface EventMetadata {
  readonly correlationId: string;
  readonly causationId: string;
  /** The tenant the aggregate belongs to, when the system is multi-tenant. */
  readonly tenantId?: string;
  /** The idempotency key of the command that produced the event, if any. */
  readonly idempotencyKey?: string;
  /** Anything else the caller attached (JSON values only). */
  readonly [key: string]: unknown;
}

/**
 * A stored event with everything needed to route, order and dedupe it.
 * `P` is the payload type: for an event class `UserCreated`, use
 * `EventEnvelope<UserCreated>`.
 */
export interface EventEnvelope<P = unknown> {
  /** Unique, time-sortable id (UUIDv7). Consumers dedupe by it. */
  readonly id: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  /** Position within the aggregate's stream: gapless 1..n. */
  readonly version: number;
  /** The event's stable type name. */
  readonly type: string;
  /** Schema version the payload has (after upcasting: the current one). */
  readonly schemaVersion: number;
  readonly payload: P;
  /** Milliseconds since the epoch at which the command committed. */
  readonly timestamp: number;
  readonly metadata: EventMetadata;
  /** Global position in the shared log; present once the event reached it. */
  readonly position?: number;
}

/** Short alias used in handler signatures: `onCreated(e: Envelope<UserCreated>)`. */
export type Envelope<P = unknown> = EventEnvelope<P>;
