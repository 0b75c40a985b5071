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

const fields = {
  userId: z.string().min(1).max(100),
  documentId: z.string().min(1).max(100),
  amount: z.number().int().positive().max(100_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/),
  merchant: z.string().min(1).max(200),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
};

/** What an extraction found; any field may be missing when OCR was unsure. */
export const proposal = z.object({
  userId: fields.userId,
  documentId: fields.documentId,
  amount: fields.amount.optional(),
  currency: fields.currency.optional(),
  merchant: fields.merchant.optional(),
  date: fields.date.optional(),
  confidence: z.number().min(0).max(1),
});
export type ExpenseProposal = z.infer<typeof proposal>;

export const ExpenseRecorded = defineEvent('ExpenseRecorded', z.object(fields));
export type ExpenseRecorded = PayloadOf<typeof ExpenseRecorded>;
/** The extraction was unsure or incomplete: a person must confirm the fields. */
export const ExpenseNeedsReview = defineEvent('ExpenseNeedsReview', proposal.extend({ reason: z.string() }));
export type ExpenseNeedsReview = PayloadOf<typeof ExpenseNeedsReview>;
export const ExpenseConfirmed = defineEvent(
  'ExpenseConfirmed',
  z.object({ amount: fields.amount, currency: fields.currency, merchant: fields.merchant, date: fields.date }),
);
export type ExpenseConfirmed = PayloadOf<typeof ExpenseConfirmed>;

/** Below this confidence, an extraction goes to review even if every field was found. */
export const REVIEW_BELOW = 0.8;

export type ExpenseState =
  | { readonly status: 'none' }
  | { readonly status: 'needs-review'; readonly proposal: ExpenseProposal; readonly reason: string }
  | {
      readonly status: 'recorded';
      readonly userId: string;
      readonly documentId: string;
      readonly amount: number;
      readonly currency: string;
      readonly merchant: string;
      readonly date: string;
    };

/** An expense, created from a document's extraction (one per document: the same id). */
export class Expense extends Aggregate<ExpenseState> {
  static readonly type = 'Expense';

  protected initialState(): ExpenseState {
    return { status: 'none' };
  }

  /** Records the expense when the extraction is complete and sure; otherwise asks for review. */
  @Command(proposal, { emits: [ExpenseRecorded, ExpenseNeedsReview] })
  propose(input: ExpenseProposal) {
    if (this.state.status !== 'none') throw new Conflict('Expense already exists');
    const missing = (['amount', 'currency', 'merchant', 'date'] as const).filter((field) => input[field] === undefined);
    if (missing.length > 0) return new ExpenseNeedsReview({ ...input, reason: `not found: ${missing.join(', ')}` });
    if (input.confidence < REVIEW_BELOW)
      return new ExpenseNeedsReview({ ...input, reason: `low confidence (${input.confidence})` });
    if (input.date! > new Date(this.now()).toISOString().slice(0, 10))
      return new ExpenseNeedsReview({ ...input, reason: 'date in the future' });
    const { confidence: _confidence, ...complete } = input;
    return new ExpenseRecorded(complete as ExpenseRecorded);
  }

  /** A person confirms (or corrects) the fields of an expense that needed review. */
  @Command(ExpenseConfirmed.schema, { emits: [ExpenseConfirmed] })
  confirm(input: z.infer<typeof ExpenseConfirmed.schema>) {
    if (this.state.status === 'none') throw new NotFound('No such expense');
    if (this.state.status === 'recorded')
      throw new DomainError('The expense is already recorded', { code: 'NOT_UNDER_REVIEW' });
    return new ExpenseConfirmed(input);
  }

  @EventHandler(ExpenseRecorded)
  protected recorded(e: ExpenseRecorded): ExpenseState {
    return { status: 'recorded', ...e };
  }

  @EventHandler(ExpenseNeedsReview)
  protected needsReview(e: ExpenseNeedsReview): ExpenseState {
    const { reason, ...proposed } = e;
    return { status: 'needs-review', proposal: proposed, reason };
  }

  @EventHandler(ExpenseConfirmed)
  protected confirmed(e: ExpenseConfirmed): ExpenseState {
    const { proposal: p } = this.state as Extract<ExpenseState, { status: 'needs-review' }>;
    return { status: 'recorded', userId: p.userId, documentId: p.documentId, ...e };
  }
}
