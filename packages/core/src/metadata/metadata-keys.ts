/**
 * Every kind of metadata ESCF decorators record, in one place. Decorators
 * only record; the explorer (`registry/`) reads and validates.
 */
export const MetadataKey = {
  /** `@Command` on aggregate methods. */
  Command: 'escf:command',
  /** `@EventHandler` on aggregate, projection and process methods. */
  EventHandler: 'escf:event-handler',
  /** `@Upcast` on event classes. */
  Upcast: 'escf:upcast',
  /** `@Projection` on classes. */
  Projection: 'escf:projection',
  /** `@Process` on classes. */
  Process: 'escf:process',
} as const;

export type MetadataKey = (typeof MetadataKey)[keyof typeof MetadataKey];
