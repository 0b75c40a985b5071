import { describe, expect, it } from 'vitest';
import {
  ConcurrencyError,
  Conflict,
  DeliveryPendingError,
  DomainError,
  Forbidden,
  InternalError,
  NotFound,
  Unauthorized,
  UnknownCommandError,
  UpcastError,
  ValidationError,
} from '../src/index.js';
import { deserializeError, serializeError } from '../src/internal.js';

const roundTrip = (error: unknown) => deserializeError(JSON.parse(JSON.stringify(serializeError(error))));

describe('errors survive serialisation with class, code, message and details', () => {
  it.each([
    [new NotFound('User 1 not found'), NotFound, 'NOT_FOUND'],
    [new Conflict('exists', undefined, 'USER_EXISTS'), Conflict, 'USER_EXISTS'],
    [new Forbidden('no'), Forbidden, 'FORBIDDEN'],
    [new Unauthorized('Invalid password'), Unauthorized, 'UNAUTHORIZED'],
    [new DomainError('VERIFICATION_EXPIRED', 'expired', { at: 1 }), DomainError, 'VERIFICATION_EXPIRED'],
    [new ValidationError('bad', [{ path: 'email', message: 'invalid' }]), ValidationError, 'VALIDATION_FAILED'],
    [new ConcurrencyError(3, 5, 'User/1'), ConcurrencyError, 'CONCURRENCY_CONFLICT'],
    [new UnknownCommandError('User', 'explode', ['create']), UnknownCommandError, 'UNKNOWN_COMMAND'],
    [new UpcastError('lens threw', { id: 'e1', type: 'T', schemaVersion: 1 }), UpcastError, 'UPCAST_FAILED'],
    [
      new DeliveryPendingError('pending', {
        version: 2,
        reason: 'D1 down',
        result: { aggregateType: 'User', aggregateId: 'u', version: 2, events: [] },
      }),
      DeliveryPendingError,
      'DELIVERY_PENDING',
    ],
  ] as const)('%s', (error, errorClass, code) => {
    const revived = roundTrip(error);
    expect(revived).toBeInstanceOf(errorClass);
    expect(revived.code).toBe(code);
    expect(revived.message).toBe(error.message);
    expect(revived.details).toEqual(error.details);
  });

  it('keeps validation issues and concurrency versions', () => {
    expect((roundTrip(new ValidationError('bad', [{ path: 'a.b', message: 'x' }])) as ValidationError).issues).toEqual([
      { path: 'a.b', message: 'x' },
    ]);
    expect(roundTrip(new ConcurrencyError(3, 5))).toMatchObject({ expectedVersion: 3, actualVersion: 5 });
  });

  it('turns anything else into INTERNAL without leaking a stack', () => {
    const serialized = serializeError(new TypeError('boom'));
    expect(serialized).toEqual({ name: 'InternalError', code: 'INTERNAL', message: 'boom' });
    expect(roundTrip('plain string')).toBeInstanceOf(InternalError);
  });
});
