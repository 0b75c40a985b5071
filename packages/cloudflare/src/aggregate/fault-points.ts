/**
 * Named points between the writes of a command and of an outbox drain, where
 * the reliability suite (test/reliability) injects crashes. In production no
 * hook is set and each point is one null check.
 */
export type FaultPoint =
  /** The command was decided; nothing is stored yet. */
  | 'command:decided'
  /** Unique values are claimed (pending in their claim objects); nothing is committed yet. */
  | 'command:claimed'
  /** Inside the commit transaction, after the events rows, before snapshot and idempotency record. */
  | 'command:events-written'
  /** The commit transaction is durable; the in-memory state is not yet advanced. */
  | 'command:committed'
  /** D1 accepted a batch; its positions and the D1 cursor are not yet recorded in the object. */
  | 'outbox:d1-appended'
  /** D1 positions and cursor are recorded; queues and services not yet published. */
  | 'outbox:d1-recorded'
  /** A queue or service accepted events; its cursor is not yet advanced. */
  | 'outbox:published';

type FaultHook = (point: FaultPoint, detail: { readonly target?: string }) => void;

let hook: FaultHook | null = null;

/**
 * Test only: installs a hook called at every {@link FaultPoint}; a hook that
 * throws simulates a crash at that point. Pass `null` to remove it. Not part
 * of the public API (not exported from the package index).
 */
export function setFaultHookForTests(next: FaultHook | null): void {
  hook = next;
}

/** Marks a point where a crash must leave storage consistent (see {@link setFaultHookForTests}). */
export function faultPoint(point: FaultPoint, detail: { readonly target?: string } = {}): void {
  if (hook !== null) hook(point, detail);
}
