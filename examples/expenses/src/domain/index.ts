export { Document, DocumentUploaded, TextExtracted, type DocumentState } from './document.js';
export { Expense, ExpenseConfirmed, ExpenseNeedsReview, ExpenseRecorded, REVIEW_BELOW, proposal, type ExpenseProposal, type ExpenseState } from './expense.js';
export { readReceipt, type ReceiptFields } from './receipt-reader.js';
