import { aggregateClients } from '@escf/cloudflare';
import { Document, Expense } from './domain/index.js';

/** Typed clients of the aggregates, for every worker bound to their Durable Objects. */
export const aggregates = aggregateClients({
  document: { aggregate: Document, binding: 'DOCUMENT_AGGREGATE' },
  expense: { aggregate: Expense, binding: 'EXPENSE_AGGREGATE' },
});
