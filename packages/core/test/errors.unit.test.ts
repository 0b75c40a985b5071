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
    [new Conflict('exists', { code: 'USER_EXISTS' }), Conflict, 'USER_EXISTS'],
    [new Forbidden('no'), Forbidden, 'FORBIDDEN'],
    [new Unauthorized('Invalid password'), Unauthorized, 'UNAUTHORIZED'],
    [
      new DomainError('expired', { code: 'VERIFICATION_EXPIRED', details: { at: 1 } }),
      DomainError,
      'VERIFICATION_EXPIRED',
    ],
    [
      new ValidationError('bad', { details: { issues: [{ path: 'email', message: 'invalid' }] } }),
      ValidationError,
      'VALIDATION_FAILED',
    ],
    [ConcurrencyError.between(3, 5, 'User/1'), ConcurrencyError, 'CONCURRENCY_CONFLICT'],
    [UnknownCommandError.of('User', 'explode', ['create']), UnknownCommandError, 'UNKNOWN_COMMAND'],
    [UpcastError.of('lens threw', { id: 'e1', type: 'T', schemaVersion: 1 }), UpcastError, 'UPCAST_FAILED'],
    [
      new DeliveryPendingError('pending', {
        details: {
          version: 2,
          reason: 'D1 down',
          result: { aggregateType: 'User', aggregateId: 'u', version: 2, events: [] },
        },
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
    expect(
      (
        roundTrip(
          new ValidationError('bad', { details: { issues: [{ path: 'a.b', message: 'x' }] } }),
        ) as ValidationError
      ).issues,
    ).toEqual([{ path: 'a.b', message: 'x' }]);
    expect(roundTrip(ConcurrencyError.between(3, 5))).toMatchObject({ expectedVersion: 3, actualVersion: 5 });
  });

  it('every class takes (message, { code, details, cause }); the cause stays on this side', () => {
    const lookup = new TypeError('row missing');
    const errors = [
      new NotFound('User 1 not found', { details: { id: '1' }, cause: lookup }),
      new DomainError('expired', { code: 'VERIFICATION_EXPIRED', cause: lookup }),
      new InternalError('bug', { cause: lookup }),
      new ValidationError('bad', { details: { issues: [] }, cause: lookup }),
    ];
    for (const error of errors) {
      expect(error.cause).toBe(lookup);
      expect(JSON.stringify(error)).not.toContain('row missing');
      expect(roundTrip(error).cause).toBeUndefined();
    }
    expect(new Conflict('taken', { code: 'EMAIL_TAKEN' }).code).toBe('EMAIL_TAKEN');
    expect(new NotFound().details).toBeUndefined();
  });

  it('turns anything else into INTERNAL without leaking a stack', () => {
    const serialized = serializeError(new TypeError('boom'));
    expect(serialized).toEqual({ name: 'InternalError', code: 'INTERNAL', message: 'boom' });
    expect(roundTrip('plain string')).toBeInstanceOf(InternalError);
  });
});
