import { eventDefinitionOf, Upcaster } from '@escf/core/upcast';
import { scenario } from '@escf/testing';
import { expect, it } from 'vitest';
import { AccountOpened, Deposited, Wallet } from './lens-context.js';

it('reads a v1 deposit in the currency of the stream it belongs to', async () => {
  await scenario(Wallet)
    .givenStored(new AccountOpened({ owner: 'Ada', currency: 'CHF' }), {
      type: 'Deposited',
      schemaVersion: 1,
      payload: { amount: 5 },
    })
    .when('deposit', { amount: 3 })
    .thenState({ currency: 'CHF', balance: 8 });
});

it('falls back to the metadata, and says so when a reader gives no history', () => {
  const upcaster = new Upcaster([eventDefinitionOf(Deposited)!]);
  const stored = { type: 'Deposited', schemaVersion: 1, payload: { amount: 5 }, metadata: { defaultCurrency: 'GBP' } };
  expect(upcaster.read(stored, { earlier: [] })[0]!.payload).toEqual({ amount: 5, currency: 'GBP' });
  expect(upcaster.needsStreamHistory(stored)).toBe(true);
  expect(() => upcaster.read(stored)).toThrow(/fold over the stream's earlier events/);
});
