/**
 * Every kind of metadata ESCF decorators record, in one place. Decorators
 * only record; the explorer (`registry/`) reads and validates.
 */
export const MetadataKey = {
  /** `@Command` on aggregate methods. */
  Command: 'escf:command',
  /** `@EventHandler` on aggregate, projection and process methods. */
  EventHandler: 'escf:event-handler',
  /** `@Upcast` on event classes, and `defineEvent(…, { upcast })`: the lens chain. */
  Upcast: 'escf:upcast',
  /** `@Event` on event classes, and `defineEvent`: the event definition. */
  Event: 'escf:event',
  /** `retiredEvent(type, readAs)`: readers of event types no code emits any more, by type name. */
  RetiredEvent: 'escf:retired-event',
  /** `@Projection` on classes. */
  Projection: 'escf:projection',
  /** `@Process` on classes. */
  Process: 'escf:process',
} as const;

export type MetadataKey = (typeof MetadataKey)[keyof typeof MetadataKey];
