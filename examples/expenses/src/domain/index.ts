export { Document, type DocumentState, DocumentUploaded, TextExtracted } from './document.js';
export {
  Expense,
  ExpenseConfirmed,
  ExpenseNeedsReview,
  type ExpenseProposal,
  ExpenseRecorded,
  type ExpenseState,
  proposal,
  REVIEW_BELOW,
} from './expense.js';
export { type ReceiptFields, readReceipt } from './receipt-reader.js';
