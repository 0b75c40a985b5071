import { Conflict, DomainError, NotFound } from '@escf/core';
import { expect, it } from 'vitest';

// docs/aggregates.md#errors: every error class takes a message, then `{ code, details, cause }`.
const email = 'ada@example.com';
const id = 'ada';
const lookupError = new Error('D1 timed out');

function expired(): never {
  // #region error-options
  throw new DomainError('The verification link has expired', { code: 'VERIFICATION_EXPIRED' });
  // #endregion
}

function exists(): never {
  // #region error-options
  throw new Conflict('User already exists', { code: 'USER_EXISTS', details: { email } });
  // #endregion
}

function missing(): never {
  // #region error-options
  throw new NotFound(`User ${id} not found`, { cause: lookupError });
  // #endregion
}

function caught(refuse: () => never): unknown {
  try {
    refuse();
  } catch (error) {
    return error;
  }
}

it('builds every error from a message and { code, details, cause }', () => {
  expect(caught(expired)).toMatchObject({ code: 'VERIFICATION_EXPIRED', message: 'The verification link has expired' });
  expect(caught(exists)).toBeInstanceOf(Conflict);
  expect(caught(exists)).toMatchObject({ code: 'USER_EXISTS', details: { email } });
  expect(caught(missing)).toBeInstanceOf(NotFound);
  expect(caught(missing)).toMatchObject({ code: 'NOT_FOUND', cause: lookupError });
});
