import {
  Aggregate,
  Command,
  Conflict,
  DomainError,
  defineEvent,
  EventHandler,
  NotFound,
  type PayloadOf,
} from '@escf/core';
import { z } from 'zod';

export const DocumentUploaded = defineEvent(
  'DocumentUploaded',
  z.object({
    userId: z.string().min(1).max(100),
    key: z.string().min(1).max(300),
    contentType: z.string().max(100),
    size: z.number().int().nonnegative(),
  }),
);
export type DocumentUploaded = PayloadOf<typeof DocumentUploaded>;
export const TextExtracted = defineEvent(
  'TextExtracted',
  z.object({ text: z.string().max(20_000), confidence: z.number().min(0).max(1) }),
);
export type TextExtracted = PayloadOf<typeof TextExtracted>;

export type DocumentState =
  | { readonly status: 'none' }
  | {
      readonly status: 'uploaded';
      readonly userId: string;
      readonly key: string;
      readonly contentType: string;
      readonly size: number;
    }
  | {
      readonly status: 'extracted';
      readonly userId: string;
      readonly key: string;
      readonly contentType: string;
      readonly size: number;
      readonly text: string;
      readonly confidence: number;
    };

/** A receipt as uploaded (the file is in R2 under `key`), and the text OCR read from it. */
export class Document extends Aggregate<DocumentState> {
  static readonly type = 'Document';

  protected initialState(): DocumentState {
    return { status: 'none' };
  }

  @Command(DocumentUploaded.schema, { emits: [DocumentUploaded] })
  record(input: z.infer<typeof DocumentUploaded.schema>) {
    if (this.state.status !== 'none') throw new Conflict('Document already recorded');
    return new DocumentUploaded(input);
  }

  @Command(TextExtracted.schema, { emits: [TextExtracted] })
  recordExtraction(input: z.infer<typeof TextExtracted.schema>) {
    if (this.state.status === 'none') throw new NotFound('No such document');
    if (this.state.status === 'extracted') return [];
    if (input.text.trim() === '') throw new DomainError('The extraction found no text', { code: 'NOTHING_EXTRACTED' });
    return new TextExtracted(input);
  }

  @EventHandler(DocumentUploaded)
  protected uploaded(e: DocumentUploaded): DocumentState {
    return { status: 'uploaded', ...e };
  }

  @EventHandler(TextExtracted)
  protected extracted(e: TextExtracted): DocumentState {
    const s = this.state as Extract<DocumentState, { status: 'uploaded' }>;
    return { ...s, status: 'extracted', text: e.text, confidence: e.confidence };
  }
}
