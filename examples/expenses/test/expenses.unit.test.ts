// Seed 002's parts in plain Node with @escf/testing.
import { inStream, processScenario, projectionScenario, scenario, TestClock } from '@escf/testing';
import { describe, expect, it } from 'vitest';
import {
  DocumentUploaded,
  Expense,
  ExpenseConfirmed,
  ExpenseNeedsReview,
  ExpenseRecorded,
  readReceipt,
} from '../src/domain/index.js';
import { chooseOcr } from '../src/ocr/choose-ocr.js';
import { localOcr } from '../src/ocr/local-ocr.js';
import { EXPENSES_SCHEMA, ExpensesView } from '../workers/expenses/src/expenses-view.js';
import { ExtractExpenseAction } from '../workers/extract/src/extract-expense-action.js';

const RECEIPT = 'Café Central\n2026-11-28\nCappuccino 4.50\nTOTAL EUR 12.80\n';

describe('readReceipt', () => {
  it('reads merchant, date, amount (minor units) and currency', () => {
    expect(readReceipt(RECEIPT)).toEqual({
      merchant: 'Café Central',
      date: '2026-11-28',
      amount: 1280,
      currency: 'EUR',
    });
    expect(readReceipt('Bakery\n28.11.2026\nTotal: 3 €')).toEqual({
      merchant: 'Bakery',
      date: '2026-11-28',
      amount: 300,
      currency: 'EUR',
    });
    expect(readReceipt('')).toEqual({});
  });
});

describe('Expense', () => {
  const clock = new TestClock(Date.UTC(2026, 10, 30));
  const expense = scenario(Expense, 'doc-1').withClock(clock);
  const base = { userId: 'ada', documentId: 'doc-1' };

  it('records a complete, sure proposal', async () => {
    await expense
      .given()
      .when('propose', {
        ...base,
        amount: 1280,
        currency: 'EUR',
        merchant: 'Café Central',
        date: '2026-11-28',
        confidence: 0.99,
      })
      .thenEvents(
        new ExpenseRecorded({ ...base, amount: 1280, currency: 'EUR', merchant: 'Café Central', date: '2026-11-28' }),
      );
  });

  it('asks for review when OCR was unsure, a field is missing, or the date is in the future', async () => {
    await expense
      .given()
      .when('propose', { ...base, amount: 100, currency: 'EUR', merchant: 'X', date: '2026-11-01', confidence: 0.4 })
      .thenEvents({ type: 'ExpenseNeedsReview', payload: expect.objectContaining({ reason: 'low confidence (0.4)' }) });
    await expense
      .given()
      .when('propose', { ...base, merchant: 'X', confidence: 0.99 })
      .thenEvents({
        type: 'ExpenseNeedsReview',
        payload: expect.objectContaining({ reason: 'not found: amount, currency, date' }),
      });
    await expense
      .given()
      .when('propose', { ...base, amount: 1, currency: 'EUR', merchant: 'X', date: '2026-12-24', confidence: 0.99 })
      .thenEvents({ type: 'ExpenseNeedsReview', payload: expect.objectContaining({ reason: 'date in the future' }) });
  });

  it('is confirmed from review, and rejects bad input', async () => {
    const review = new ExpenseNeedsReview({ ...base, confidence: 0.3, reason: 'not found: amount' });
    const fields = { amount: 500, currency: 'CHF', merchant: 'Kiosk', date: '2026-11-02' };
    await expense
      .given(review)
      .when('confirm', fields)
      .thenState({ status: 'recorded', ...base, ...fields });
    await expense
      .given(review)
      .when('confirm', { ...fields, currency: 'chf' })
      .thenError('VALIDATION_FAILED');
    await expense
      .given(new ExpenseRecorded({ ...base, ...fields }))
      .when('confirm', fields)
      .thenError('NOT_UNDER_REVIEW');
  });
});

describe('the extract action', () => {
  const files: Record<string, string> = { 'r/1': RECEIPT, 'r/2': 'Blurry Shop [smudged]\nTOTAL 9.99 EUR\n2026-11-03' };
  const effects = {
    ocr: localOcr,
    readFile: async (key: string) => (key in files ? new TextEncoder().encode(files[key]) : null),
  };
  const uploaded = (key: string) => new DocumentUploaded({ userId: 'ada', key, contentType: 'text/plain', size: 10 });

  it('records the text on the document and proposes the expense (one command each, keyed by the event)', async () => {
    await processScenario(ExtractExpenseAction, { effects, ordering: 'stream' })
      .when(inStream('Document', 'd1', uploaded('r/1')))
      .thenCommands(
        {
          aggregateType: 'Document',
          aggregateId: 'd1',
          command: 'recordExtraction',
          input: { text: RECEIPT, confidence: 0.99 },
        },
        {
          aggregateType: 'Expense',
          aggregateId: 'd1',
          command: 'propose',
          input: {
            userId: 'ada',
            documentId: 'd1',
            merchant: 'Café Central',
            date: '2026-11-28',
            amount: 1280,
            currency: 'EUR',
            confidence: 0.99,
          },
        },
      );
  });

  it('proposes an unsure or missing file for review', async () => {
    await processScenario(ExtractExpenseAction, { effects })
      .when(inStream('Document', 'd2', uploaded('r/2')), inStream('Document', 'd3', uploaded('gone')))
      .then(({ commands }) => {
        expect(
          commands.filter((c) => c.command === 'propose').map((c) => (c.input as { confidence: number }).confidence),
        ).toEqual([0.4, 0]);
      });
  });
});

describe('the expenses view', () => {
  it("lists a user's expenses per month (idempotent, rebuild = live)", async () => {
    const view = projectionScenario(ExpensesView, { schema: EXPENSES_SCHEMA });
    await view
      .given(
        inStream(
          Expense,
          'e1',
          new ExpenseRecorded({
            userId: 'ada',
            documentId: 'e1',
            amount: 1280,
            currency: 'EUR',
            merchant: 'Café',
            date: '2026-11-28',
          }),
        ),
        inStream(
          Expense,
          'e2',
          new ExpenseNeedsReview({ userId: 'ada', documentId: 'e2', confidence: 0.2, reason: 'not found: amount' }),
          new ExpenseConfirmed({ amount: 300, currency: 'EUR', merchant: 'Bakery', date: '2026-10-03' }),
        ),
        inStream(
          Expense,
          'e3',
          new ExpenseRecorded({
            userId: 'grace',
            documentId: 'e3',
            amount: 1,
            currency: 'EUR',
            merchant: 'X',
            date: '2026-11-01',
          }),
        ),
      )
      .then(async ({ projection }) => {
        expect((await projection.forUser('ada', '2026-11')).map((r) => r.expenseId)).toEqual(['e1']);
        expect((await projection.forUser('ada')).map((r) => [r.expenseId, r.status])).toEqual([
          ['e1', 'recorded'],
          ['e2', 'recorded'],
        ]);
      });
  });
});

describe('OCR choice', () => {
  it('is local unless configured, and refuses workers-ai without the binding', () => {
    expect(chooseOcr({})).toBe(localOcr);
    expect(() => chooseOcr({ OCR: 'workers-ai' })).toThrow(/ai binding/);
    expect(() => chooseOcr({ OCR: 'magic' })).toThrow(/Unknown OCR provider/);
  });
});
