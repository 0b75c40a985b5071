import { defineSystem } from '@escf/cli/config';
import { Document, Expense } from './src/domain/index.js';
import { ExpensesView } from './workers/expenses/src/expenses-view.js';
import { ExtractExpenseAction } from './workers/extract/src/extract-worker.js';

// Seed 002's documents → OCR → expenses: `npx escf generate` turns this into
// each worker's entry module, Env type, D1 migrations and wrangler.jsonc
// bindings. The R2 bucket, the OCR choice and (in production) the AI binding
// are declared by hand in the wrangler.jsonc files; generate keeps them.
export default defineSystem({
  name: 'expenses',
  compatibilityDate: '2026-11-01',
  workers: {
    api: {
      kind: 'api',
      dir: 'workers/api',
      from: './src/domain/index.ts',
      entry: './workers/api/src/app.ts',
      aggregates: [Document, Expense],
      calls: ['expenses'],
    },
    // The action: OCR on every uploaded document, then an expense proposal.
    extract: {
      kind: 'process',
      dir: 'workers/extract',
      from: './workers/extract/src/extract-worker.ts',
      process: ExtractExpenseAction,
      options: 'extractOptions',
      commands: [Document, Expense],
    },
    // The view: expenses per user and month; direct delivery (read-your-writes).
    expenses: {
      kind: 'projection',
      dir: 'workers/expenses',
      from: './workers/expenses/src/expenses-view.ts',
      projection: ExpensesView,
      delivery: 'sync',
    },
  },
});
