import { scenario } from '@escf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EMAIL_TOKEN_TTL_MS,
  User,
  UserAuthenticated,
  UserCreated,
  UserDeleted,
  UserEmailVerificationFulfilled,
  UserEmailVerificationIssued,
  UserSignedIn,
  UserSignedOut,
  UserUpdated,
  useClock,
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
/** The principal of Ada's own session. */
const asAda = { principal: { id: 'ada' } };

describe('User.create', () => {
  it('creates the user and issues an email verification', async () => {
    const outcome = await user
      .given()
      .when('create', { name: 'Ada', email: 'ada@example.com', password: 'correct horse battery' })
      .thenEvents(
        {
          type: 'UserCreated',
          payload: { name: 'Ada', email: 'ada@example.com', passwordHash: expect.stringMatching(/^pbkdf2\$/) },
        },
        {
          type: 'UserEmailVerificationIssued',
          payload: {
            token: expect.any(String),
            newEmail: 'ada@example.com',
            oldEmail: null,
            expiresAt: expect.any(Number),
          },
        },
      );
    expect(outcome.version).toBe(2);
    expect(outcome.state).toMatchObject({
      status: 'active',
      name: 'Ada',
      emailVerification: { newEmail: 'ada@example.com' },
    });
  });

  it('never stores the password itself', async () => {
    const { events } = await user
      .given()
      .when('create', { name: 'Ada', email: 'ada@example.com', password: 'correct horse battery' })
      .thenState((state) => expect(state.status).toBe('active'));
    expect(JSON.stringify(events)).not.toContain('correct horse battery');
  });

  it('refuses to create a user twice', async () => {
    await user
      .given(created)
      .when('create', { name: 'Ada', email: 'ada@example.com', password: 'correct horse battery' })
      .thenError('USER_EXISTS');
  });

  it('rejects invalid input with per-field issues', async () => {
    const error = await user
      .given()
      .when('create', { name: '', email: 'not-an-email', password: 'short' })
      .thenError('VALIDATION_FAILED');
    expect((error.details!.issues as Array<{ path: string }>).map((i) => i.path).sort()).toEqual([
      'email',
      'name',
      'password',
    ]);
  });

  it('rejects unknown fields', async () => {
    await user
      .given()
      .when('create', {
        name: 'Ada',
        email: 'ada@example.com',
        password: 'correct horse battery',
        admin: true,
      } as never)
      .thenError('VALIDATION_FAILED', /Invalid input for User.create/);
  });
});

describe('User.update', () => {
  it('updates the name only', async () => {
    await user
      .given(created, issued)
      .when('update', { name: 'Ada Lovelace' }, asAda)
      .thenEvents(new UserUpdated({ name: 'Ada Lovelace' }));
  });

  it('issues a new verification when the email changes', async () => {
    await user
      .given(created, issued)
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
  });

  it('fails for an unknown user', async () => {
    await user.given().when('update', { name: 'X' }, asAda).thenError('NOT_FOUND');
  });

  it('fails for a deleted user', async () => {
    await user.given(created, deleted).when('update', { name: 'X' }, asAda).thenError('USER_DELETED');
  });
});

describe('who may change a user', () => {
  it('nobody without a session: UNAUTHORIZED', async () => {
    await user.given(created).when('update', { name: 'X' }).thenError('UNAUTHORIZED');
    await user.given(created).when('delete', {}).thenError('UNAUTHORIZED');
  });

  it('another user: FORBIDDEN, nothing appended', async () => {
    await user
      .given(created)
      .when('update', { email: 'mallory@example.com' }, { principal: { id: 'mallory' } })
      .thenError('FORBIDDEN');
    await user
      .given(created)
      .when('delete', {}, { principal: { id: 'mallory' } })
      .thenError('FORBIDDEN');
  });

  it('support staff (role admin) may', async () => {
    await user
      .given(created)
      .when('delete', {}, { principal: { id: 'support-1', roles: ['admin'] } })
      .thenEvents(new UserDeleted({}));
  });

  it('an empty or unchanged PATCH appends nothing', async () => {
    await user.given(created, issued).when('update', {}, asAda).thenEvents();
    await user.given(created, issued).when('update', { name: 'Ada', email: 'ada@example.com' }, asAda).thenEvents();
  });
});

describe('User.delete', () => {
  it('deletes the user', async () => {
    await user.given(created).when('delete', {}, asAda).thenEvents(new UserDeleted({}));
  });

  it('fails for an unknown user', async () => {
    await user.given().when('delete', {}, asAda).thenError('NOT_FOUND');
  });

  it('fails for a user deleted already', async () => {
    await user.given(created, deleted).when('delete', {}, asAda).thenError('USER_DELETED');
  });
});

describe('User.authenticate', () => {
  it('accepts the right password', async () => {
    await user
      .given(created)
      .when('authenticate', { password: 'correct horse battery' })
      .thenEvents(new UserAuthenticated({}));
  });

  it('rejects a wrong password', async () => {
    await user.given(created).when('authenticate', { password: 'wrong' }).thenError('UNAUTHORIZED', 'Invalid password');
  });

  it('fails for an unknown user', async () => {
    await user.given().when('authenticate', { password: 'x' }).thenError('NOT_FOUND');
  });

  it('fails for a deleted user', async () => {
    await user
      .given(created, deleted)
      .when('authenticate', { password: 'correct horse battery' })
      .thenError('USER_DELETED');
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
    const expired = new UserEmailVerificationIssued({
      token: 'token-expired-0123456',
      newEmail: 'a@b.dev',
      oldEmail: 'ada@example.com',
      expiresAt: Date.now() - 1,
    });
    await user
      .given(created, expired)
      .when('fulfillEmailVerification', { token: 'token-expired-0123456' })
      .thenError('VERIFICATION_EXPIRED');
  });

  it('fails for an unknown user', async () => {
    await user.given().when('fulfillEmailVerification', { token: 'x' }).thenError('NOT_FOUND');
  });

  it('fails for a deleted user', async () => {
    await user
      .given(created, issued, deleted)
      .when('fulfillEmailVerification', { token: 'token-0123456789abcdef' })
      .thenError('USER_DELETED');
  });
});

describe('User.signIn', () => {
  const tokenHash = 'a'.repeat(64);
  const verified = new UserEmailVerificationFulfilled({});

  it('opens a session for a verified user, storing only the token hash', async () => {
    await user
      .given(created, issued, verified)
      .when('signIn', { password: 'correct horse battery', tokenHash })
      .thenEvents({
        type: 'UserSignedIn',
        payload: { sessionId: expect.any(String), tokenHash, expiresAt: expect.any(Number) },
      });
  });

  it('refuses before the email is verified (403), and a wrong password (401)', async () => {
    await user
      .given(created, issued)
      .when('signIn', { password: 'correct horse battery', tokenHash })
      .thenError('FORBIDDEN');
    await user
      .given(created, issued, verified)
      .when('signIn', { password: 'wrong', tokenHash })
      .thenError('UNAUTHORIZED');
  });

  it('signs out only its own sessions', async () => {
    const signedIn = new UserSignedIn({ sessionId: 's-1', tokenHash, expiresAt: Date.now() + 1000 });
    await user
      .given(created, issued, verified, signedIn)
      .when('signOut', { sessionId: 's-1' }, asAda)
      .thenEvents(new UserSignedOut({ sessionId: 's-1' }));
    await user
      .given(created, issued, verified, signedIn)
      .when('signOut', { sessionId: 's-1' }, { principal: { id: 'mallory' } })
      .thenError('FORBIDDEN');
    await user
      .given(created, issued, verified, signedIn, new UserSignedOut({ sessionId: 's-1' }))
      .when('signOut', { sessionId: 's-1' }, asAda)
      .thenError('NOT_FOUND');
  });
});

describe('verification tokens expire and can be resent', () => {
  afterEach(() => useClock(Date.now));

  it('a sign-up token stops working after 24 hours (the injectable clock moves)', async () => {
    const start = Date.now();
    useClock(() => start);
    const { events } = await user
      .given()
      .when('create', { name: 'Ada', email: 'ada@example.com', password: 'correct horse battery' })
      .thenState(() => undefined);
    const issuedAtSignUp = new UserEmailVerificationIssued(events[1]!.payload as UserEmailVerificationIssued);
    useClock(() => start + EMAIL_TOKEN_TTL_MS - 1);
    await user
      .given(created, issuedAtSignUp)
      .when('fulfillEmailVerification', { token: issuedAtSignUp.token })
      .thenEvents(new UserEmailVerificationFulfilled({}));
    useClock(() => start + EMAIL_TOKEN_TTL_MS + 1);
    await user
      .given(created, issuedAtSignUp)
      .when('fulfillEmailVerification', { token: issuedAtSignUp.token })
      .thenError('VERIFICATION_EXPIRED');
  });

  it('resend issues a fresh token for the pending address; nothing once verified', async () => {
    await user
      .given(created, issued)
      .when('resendEmailVerification', {})
      .thenEvents({
        type: 'UserEmailVerificationIssued',
        payload: {
          token: expect.not.stringMatching(/^token-0123456789abcdef$/),
          newEmail: 'ada@example.com',
          oldEmail: null,
          expiresAt: expect.any(Number),
        },
      });
    await user
      .given(created, issued, new UserEmailVerificationFulfilled({}))
      .when('resendEmailVerification', {})
      .thenEvents();
  });
});
