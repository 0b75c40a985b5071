import { eventDefinitionOf, Upcaster } from '@escf/core/upcast';
import { expect, it } from 'vitest';
import { CustomerRegistered } from './evolving-events.js';

it('reads every stored version of CustomerRegistered as version 3', () => {
  const upcaster = new Upcaster([eventDefinitionOf(CustomerRegistered)!]);
  const v3 = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', marketingOptIn: false };
  expect(
    upcaster.read({
      type: 'UserSignedUp',
      schemaVersion: 1,
      payload: { name: 'Ada Lovelace', email: 'Ada@Example.com' },
    })[0]!.payload,
  ).toEqual(v3);
  expect(
    upcaster.read({
      type: 'CustomerRegistered',
      schemaVersion: 2,
      payload: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
    })[0]!.payload,
  ).toEqual(v3);
  expect(upcaster.read({ type: 'CustomerPageViewed', schemaVersion: 1, payload: {} })).toEqual([]);
});
