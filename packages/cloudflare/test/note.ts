import { Aggregate, Command, defineEvent, EventHandler, type PayloadOf } from '@escf/core';
import { z } from 'zod';

export const NoteWritten = defineEvent('NoteWritten', z.object({ text: z.string() }));
export type NoteWritten = PayloadOf<typeof NoteWritten>;

/** An aggregate whose events can be as large as its input: the size-limit tests' subject. */
export class Note extends Aggregate<{ length: number }> {
  static readonly type = 'Note';
  protected initialState() {
    return { length: 0 };
  }

  @Command(z.object({ text: z.string().max(4 * 1024 * 1024) }), { emits: [NoteWritten] })
  write(input: { text: string }) {
    return new NoteWritten({ text: input.text });
  }

  @EventHandler(NoteWritten)
  protected written(e: NoteWritten) {
    return { length: e.text.length };
  }
}
