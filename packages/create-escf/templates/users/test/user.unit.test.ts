import { scenario } from '@escf/testing';
import { describe, expect, it } from 'vitest';
import {
  User,
  UserAuthenticated,
  UserCreated,
  UserDeleted,
  UserEmailVerificationFulfilled,
  UserEmailVerificationIssued,
  UserUpdated,
} from '../src/domain/index.js';
import { hashPassword } from '../src/domain/password.js';

const user = scenario(User, 'ada');
const passwordHash = await hashPassword('correct horse battery');
const created = new UserCreated({ name: 'Ada', email: 'ada@example.com', passwordHash });
const issued = new UserEmailVerificationIssued({
  token: 'token-0123456789abcdef',
  newEmail: 'ada@example.com',
  oldEmail: null,
  expiresAt: null,
});
const deleted = new UserDeleted({});

describe('User.create', () => {
  it('creates the user and issues an email verification', async () => {
    const outcome = await user
      .given()
      .when('create', { name: 'Ada', email: 'ada@example.com', password: 'correct horse battery' })
      .thenEvents(
        { type: 'UserCreated', payload: { name: 'Ada', email: 'ada@example.com', passwordHash: expect.stringMatching(/^pbkdf2\$/) } },
        { type: 'UserEmailVerificationIssued', payload: { token: expect.any(String), newEmail: 'ada@example.com', oldEmail: null, expiresAt: null } },
      );
    expect(outcome.version).toBe(2);
    expect(outcome.state).toMatchObject({ status: 'active', name: 'Ada', emailVerification: { newEmail: 'ada@example.com' } });
  });

  it('never stores the password itself', async () => {
    const { events } = await user
      .given()
      .when('create', { name: 'Ada', email: 'ada@example.com', password: 'correct horse battery' })
      .thenState((state) => expect(state.status).toBe('active'));
    expect(JSON.stringify(events)).not.toContain('correct horse battery');
  });

  it('refuses to create a user twice', async () => {
    await user.given(created).when('create', { name: 'Ada', email: 'ada@example.com', password: 'correct horse battery' }).thenError('USER_EXISTS');
  });

  it('rejects invalid input with per-field issues', async () => {
    const error = await user.given().when('create', { name: '', email: 'not-an-email', password: 'short' }).thenError('VALIDATION_FAILED');
    expect((error.details?.issues as Array<{ path: string }>).map((i) => i.path).sort()).toEqual(['email', 'name', 'password']);
  });

  it('rejects unknown fields', async () => {
    await user
      .given()
      .when('create', { name: 'Ada', email: 'ada@example.com', password: 'correct horse battery', admin: true } as never)
      .thenError('VALIDATION_FAILED', /Invalid input for User.create/);
  });
});

describe('User.update', () => {
  it('updates the name only', async () => {
    await user.given(created, issued).when('update', { name: 'Ada Lovelace' }).thenEvents(new UserUpdated({ name: 'Ada Lovelace' }));
  });

  it('issues a new verification when the email changes', async () => {
    await user
      .given(created, issued)
      .when('update', { email: 'ada@lovelace.dev' })
      .thenEvents(new UserUpdated({ email: 'ada@lovelace.dev' }), {
        type: 'UserEmailVerificationIssued',
        payload: { token: expect.any(String), newEmail: 'ada@lovelace.dev', oldEmail: 'ada@example.com', expiresAt: expect.any(Number) },
      });
  });

  it('fails for an unknown user', async () => {
    await user.given().when('update', { name: 'X' }).thenError('NOT_FOUND');
  });

  it('fails for a deleted user', async () => {
    await user.given(created, deleted).when('update', { name: 'X' }).thenError('USER_DELETED');
  });
});

describe('User.delete', () => {
  it('deletes the user', async () => {
    await user.given(created).when('delete', {}).thenEvents(new UserDeleted({}));
  });

  it('fails for an unknown user', async () => {
    await user.given().when('delete', {}).thenError('NOT_FOUND');
  });

  it('fails for a user deleted already', async () => {
    await user.given(created, deleted).when('delete', {}).thenError('USER_DELETED');
  });
});

describe('User.authenticate', () => {
  it('accepts the right password', async () => {
    await user.given(created).when('authenticate', { password: 'correct horse battery' }).thenEvents(new UserAuthenticated({}));
  });

  it('rejects a wrong password', async () => {
    await user.given(created).when('authenticate', { password: 'wrong' }).thenError('UNAUTHORIZED', 'Invalid password');
  });

  it('fails for an unknown user', async () => {
    await user.given().when('authenticate', { password: 'x' }).thenError('NOT_FOUND');
  });

  it('fails for a deleted user', async () => {
    await user.given(created, deleted).when('authenticate', { password: 'correct horse battery' }).thenError('USER_DELETED');
  });
});

describe('User.fulfillEmailVerification', () => {
  it('verifies with the issued token', async () => {
    await user
      .given(created, issued)
      .when('fulfillEmailVerification', { token: 'token-0123456789abcdef' })
      .thenEvents(new UserEmailVerificationFulfilled({}));
  });

  it('clears the pending verification', async () => {
    await user
      .given(created, issued)
      .when('fulfillEmailVerification', { token: 'token-0123456789abcdef' })
      .thenState((state) => expect(state).toMatchObject({ emailVerification: null }));
  });

  it('refuses a wrong token', async () => {
    await user.given(created, issued).when('fulfillEmailVerification', { token: 'nope' }).thenError('INVALID_TOKEN');
  });

  it('refuses when already verified', async () => {
    await user
      .given(created, issued, new UserEmailVerificationFulfilled({}))
      .when('fulfillEmailVerification', { token: 'token-0123456789abcdef' })
      .thenError('ALREADY_VERIFIED');
  });

  it('refuses an expired token', async () => {
    const expired = new UserEmailVerificationIssued({ token: 'token-expired-0123456', newEmail: 'a@b.dev', oldEmail: 'ada@example.com', expiresAt: Date.now() - 1 });
    await user.given(created, expired).when('fulfillEmailVerification', { token: 'token-expired-0123456' }).thenError('VERIFICATION_EXPIRED');
  });

  it('fails for an unknown user', async () => {
    await user.given().when('fulfillEmailVerification', { token: 'x' }).thenError('NOT_FOUND');
  });

  it('fails for a deleted user', async () => {
    await user.given(created, issued, deleted).when('fulfillEmailVerification', { token: 'token-0123456789abcdef' }).thenError('USER_DELETED');
  });
});
