import { type Envelope, EventHandler, Process, type ProcessHandlerContext } from '@escf/core';
import { Document, DocumentUploaded, Expense, readReceipt } from '../../../src/domain/index.js';
import type { Ocr } from '../../../src/ocr/ocr.js';

/** What the action may use besides commands: the stored files and the OCR port. */
export interface ExtractEffects {
  readonly ocr: Ocr;
  /** The uploaded file's bytes (R2 in the worker), or null if it is gone. */
  readFile(key: string): Promise<Uint8Array | null>;
}

/**
 * Seed 002's AnalyzeDocumentOnCreation action: when a document is uploaded,
 * read its text through the OCR port, record it on the Document, and propose
 * an Expense (same id as the document) from the fields the text yields. The
 * Expense records itself, or asks for review when OCR was unsure or a field
 * is missing. Commands carry keys derived from the event: a redelivery
 * changes nothing twice.
 */
@Process('extract-expense')
export class ExtractExpenseAction {
  @EventHandler(DocumentUploaded)
  async onUploaded(e: Envelope<DocumentUploaded>, { effects, commands }: ProcessHandlerContext<ExtractEffects>) {
    const file = await effects.readFile(e.payload.key);
    const { text, confidence } = file
      ? await effects.ocr.extract(file, e.payload.contentType)
      : { text: '', confidence: 0 };
    if (text.trim() !== '')
      await commands.to(Document, e.aggregateId).recordExtraction({ text: text.slice(0, 20_000), confidence });
    await commands
      .to(Expense, e.aggregateId)
      .propose({ userId: e.payload.userId, documentId: e.aggregateId, ...readReceipt(text), confidence });
  }
}
