import { ValidationError } from '@escf/core';
import { describe, expect, it } from 'vitest';
import { aggregates, d1Events, testEnv, uniqueId } from '../helpers.js';

const valid = {
  name: 'Grace',
  address: { street: '1 Harbour Road', country: 'GB' },
  phones: [{ number: '+44 20 7946 0000' }, { number: '+44 20 7946 0001' }],
};

describe('nested and array class-validator DTOs through the Durable Object', () => {
  it('accepts a valid nested input and stores the nested event payload', async () => {
    const id = uniqueId('customer');
    const result = await aggregates(testEnv, { sync: [] }).customer(id).register(valid);
    expect(result.version).toBe(1);
    expect(result.events[0]).toMatchObject({ type: 'CustomerRegistered', payload: valid });
    expect((await d1Events(id)).map((e) => e.version)).toEqual([1]);
  });

  it('refuses an invalid nested field and an invalid array element with field paths; nothing stored', async () => {
    const id = uniqueId('customer-bad');
    const error = await aggregates(testEnv)
      .customer(id)
      .register({ ...valid, address: { street: '', country: 'GBR' }, phones: [{ number: '1' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).issues.map((issue) => issue.path).sort();
    expect(paths).toEqual(['address.country', 'address.street', 'phones.0.number']);
    // Not an object where an object is nested: a typed error too, not a crash.
    const notNested = await aggregates(testEnv)
      .customer(id)
      .register({ ...valid, address: 'somewhere' as unknown as typeof valid.address })
      .catch((e: unknown) => e);
    expect(notNested).toBeInstanceOf(ValidationError);
    expect(await d1Events(id)).toEqual([]);
  });
});
