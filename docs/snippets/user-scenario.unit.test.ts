import { scenario } from '@escf/testing';
import { expect, it } from 'vitest';
import {
  User,
  UserCreated,
  UserEmailVerificationFulfilled,
  UserEmailVerificationIssued,
  UserUpdated,
} from '../../examples/users/src/domain/index.js';

// docs/testing.md: given / when / then on the users example's User.
const created = new UserCreated({ name: 'Ada', email: 'ada@example.com', passwordHash: 'pbkdf2$1$00$00' });
const issued = new UserEmailVerificationIssued({
  token: 'token-0123456789abcdef',
  newEmail: 'ada@example.com',
  oldEmail: null,
  expiresAt: null,
});
/** Ada's own session: only she (or an operator) may change her account. */
const asAda = { principal: { id: 'ada' } };

it('runs commands against the state built from past events', async () => {
  // #region given-when-then
  const user = scenario(User, 'ada');

  await user
    .given(created, issued)
    .when('fulfillEmailVerification', { token: 'token-0123456789abcdef' })
    .thenEvents(new UserEmailVerificationFulfilled({}));

  await user.given().when('delete', {}, asAda).thenError('NOT_FOUND');

  await user
    .given(created)
    .when('update', { email: 'ada@lovelace.dev' }, asAda)
    .thenEvents(new UserUpdated({ email: 'ada@lovelace.dev' }), {
      type: 'UserEmailVerificationIssued',
      payload: {
        token: expect.any(String),
        newEmail: 'ada@lovelace.dev',
        oldEmail: 'ada@example.com',
        expiresAt: expect.any(Number),
      },
    });
  // #endregion
});
