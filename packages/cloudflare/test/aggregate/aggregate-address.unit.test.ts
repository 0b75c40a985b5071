import { describe, expect, it } from 'vitest';
import { type AggregateAddress, checkAddress, durableObjectName } from '../../src/aggregate/aggregate-address.js';

describe('durableObjectName', () => {
  it('puts the tenant into the name', () => {
    expect(durableObjectName({ aggregateId: 'ada' })).toBe('ada');
    expect(durableObjectName({ aggregateId: 'ada', tenantId: 'acme' })).toBe('acme/ada');
  });

  it('never gives two addresses the same name', () => {
    const addresses: AggregateAddress[] = [
      { aggregateId: 'b' },
      { aggregateId: 'a/b' },
      { aggregateId: '/b' },
      { aggregateId: 'b', tenantId: 'a' },
      { aggregateId: 'a/b', tenantId: 'x' },
      { aggregateId: 'b', tenantId: 'x/a' },
      { aggregateId: '/b', tenantId: 'a' },
      { aggregateId: 'b', tenantId: '/a' },
    ];
    const names = addresses.map(durableObjectName);
    expect(new Set(names).size).toBe(addresses.length);
  });
});

describe('checkAddress', () => {
  it('accepts an id with an optional tenant', () => {
    expect(checkAddress({ aggregateId: 'ada' })).toEqual({ aggregateId: 'ada' });
    expect(checkAddress({ aggregateId: 'ada', tenantId: 'acme', extra: 1 })).toEqual({
      aggregateId: 'ada',
      tenantId: 'acme',
    });
  });

  it('rejects unusable addresses with VALIDATION_FAILED', () => {
    for (const bad of [
      undefined,
      {},
      { aggregateId: '' },
      { aggregateId: 1 },
      { aggregateId: 'a', tenantId: '' },
      { aggregateId: 'x'.repeat(513) },
    ]) {
      expect(() => checkAddress(bad)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
  });
});
