import { uuidv7 } from 'uuidv7';

/** A new unique, time-sortable id (UUIDv7) for events, commands and correlation. */
export function newId(): string {
  return uuidv7();
}
