import {
  Aggregate,
  Command,
  Conflict,
  DomainError,
  EventHandler,
  Forbidden,
  type GuardContext,
  NotFound,
  Unauthorized,
  type UniqueValues,
} from '@escf/core';
import { now } from './clock.js';
import { hashPassword, verifyPassword } from './password.js';
import { constantTimeEqual, newSecret } from './secrets.js';
import {
  Authenticate,
  CreateUser,
  DeleteUser,
  FulfillEmailVerification,
  ResendEmailVerification,
  SignIn,
  SignOut,
  UpdateUser,
} from './user-commands.js';
import {
  UserAuthenticated,
  UserCreated,
  UserDeleted,
  UserEmailVerificationFulfilled,
  UserEmailVerificationIssued,
  UserSignedIn,
  UserSignedOut,
  UserUpdated,
} from './user-events.js';

/** A pending proof that the user owns `newEmail`. */
export interface EmailVerification {
  readonly token: string;
  readonly newEmail: string;
  readonly oldEmail: string | null;
  readonly expiresAt: number | null;
}

/** An open session: the SHA-256 of its token and when it ends. */
export interface OpenSession {
  readonly tokenHash: string;
  readonly expiresAt: number;
}

/** The User aggregate's state: nothing yet, or a (possibly deleted) user. */
export type UserState =
  | { readonly status: 'new' }
  | {
      readonly status: 'active' | 'deleted';
      readonly name: string;
      readonly email: string;
      readonly passwordHash: string;
      /** True once an address of this user was verified; sign-in needs it. */
      readonly verified?: boolean;
      readonly emailVerification: EmailVerification | null;
      readonly sessions?: Readonly<Record<string, OpenSession>>;
    };

type ExistingUser = Exclude<UserState, { status: 'new' }>;

/** How long a verification token stays valid. */
export const EMAIL_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a session lasts. */
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Guard: only the user themself (the session's principal) — or support staff (role `admin`) — may run the command. */
const selfOnly = { roles: ['admin'], allow: ({ principal, aggregate }: GuardContext) => principal.id === aggregate.id };

/** The seed 000 User: sign-up, profile changes, deletion, sessions and email verification. */
export class User extends Aggregate<UserState> {
  static readonly type = 'User';
  /** One live user per email address (compared case-insensitively); a deleted user frees it. */
  static readonly unique: UniqueValues<UserState> = { email: (s) => (s.status === 'active' ? s.email : null) };

  protected initialState(): UserState {
    return { status: 'new' };
  }

  @Command(CreateUser, { emits: [UserCreated, UserEmailVerificationIssued] })
  async create(input: CreateUser) {
    if (this.state.status !== 'new') throw new Conflict('User already exists', { code: 'USER_EXISTS' });
    return [
      new UserCreated({ name: input.name, email: input.email, passwordHash: await hashPassword(input.password) }),
      verificationFor(input.email, null),
    ];
  }

  @Command(UpdateUser, { emits: [UserUpdated, UserEmailVerificationIssued], authorize: selfOnly })
  update(input: UpdateUser) {
    const user = this.existing();
    const changes = {
      ...(input.name === undefined || input.name === user.name ? {} : { name: input.name }),
      ...(input.email === undefined || input.email === user.email ? {} : { email: input.email }),
    };
    // Nothing changes: nothing is appended.
    if (Object.keys(changes).length === 0) return [];
    const updated = new UserUpdated(changes);
    return changes.email === undefined ? updated : [updated, verificationFor(changes.email, user.email)];
  }

  @Command(DeleteUser, { emits: [UserDeleted], authorize: selfOnly })
  delete() {
    this.existing();
    return new UserDeleted({});
  }

  /** Checks a password and records it (no session; the API signs in with {@link signIn}). */
  @Command(Authenticate, { emits: [UserAuthenticated] })
  async authenticate(input: Authenticate) {
    const user = this.existing();
    if (!(await verifyPassword(input.password, user.passwordHash))) throw new Unauthorized('Invalid password');
    return new UserAuthenticated({});
  }

  /** Checks the password and opens a session; only for a verified address. */
  @Command(SignIn, { emits: [UserSignedIn] })
  async signIn(input: SignIn) {
    const user = this.existing();
    if (!(await verifyPassword(input.password, user.passwordHash))) throw new Unauthorized('Invalid email or password');
    if (!user.verified)
      throw new Forbidden('Verify your email address before signing in', { details: { reason: 'EMAIL_NOT_VERIFIED' } });
    return new UserSignedIn({
      sessionId: crypto.randomUUID(),
      tokenHash: input.tokenHash,
      expiresAt: now() + SESSION_TTL_MS,
    });
  }

  @Command(SignOut, { emits: [UserSignedOut], authorize: selfOnly })
  signOut(input: SignOut) {
    const user = this.existing();
    if (!user.sessions?.[input.sessionId]) throw new NotFound('No such session');
    return new UserSignedOut({ sessionId: input.sessionId });
  }

  @Command(FulfillEmailVerification, { emits: [UserEmailVerificationFulfilled] })
  fulfillEmailVerification(input: FulfillEmailVerification) {
    const { emailVerification } = this.existing();
    if (emailVerification === null) throw new Conflict('Email already verified', { code: 'ALREADY_VERIFIED' });
    if (emailVerification.expiresAt !== null && now() > emailVerification.expiresAt) {
      throw new DomainError('The verification token has expired; ask for a new one', { code: 'VERIFICATION_EXPIRED' });
    }
    if (!constantTimeEqual(emailVerification.token, input.token))
      throw new DomainError('Invalid verification token', { code: 'INVALID_TOKEN' });
    return new UserEmailVerificationFulfilled({});
  }

  /** A fresh token for the pending address (the old one stops working); nothing when there is none. */
  @Command(ResendEmailVerification, { emits: [UserEmailVerificationIssued] })
  resendEmailVerification() {
    const { emailVerification } = this.existing();
    if (emailVerification === null) return [];
    return verificationFor(emailVerification.newEmail, emailVerification.oldEmail);
  }

  /** The user, or the reason a command cannot touch it. */
  private existing(): ExistingUser {
    if (this.state.status === 'new') throw new NotFound(`User ${this.id} not found`);
    if (this.state.status === 'deleted') throw new DomainError(`User ${this.id} was deleted`, { code: 'USER_DELETED' });
    return this.state;
  }

  @EventHandler(UserCreated)
  protected created(e: UserCreated): UserState {
    return {
      status: 'active',
      name: e.name,
      email: e.email,
      passwordHash: e.passwordHash,
      verified: false,
      emailVerification: null,
      sessions: {},
    };
  }

  @EventHandler(UserUpdated)
  protected updated(e: UserUpdated): UserState {
    const user = this.state as ExistingUser;
    return { ...user, name: e.name ?? user.name, email: e.email ?? user.email };
  }

  @EventHandler(UserDeleted)
  protected deleted(): UserState {
    return { ...(this.state as ExistingUser), status: 'deleted', sessions: {} };
  }

  @EventHandler(UserAuthenticated)
  protected authenticated(): UserState {
    return this.state;
  }

  @EventHandler(UserSignedIn)
  protected signedIn(e: UserSignedIn): UserState {
    const user = this.state as ExistingUser;
    // Expired sessions are dropped as new ones open, so the state stays small.
    const live = Object.entries(user.sessions ?? {}).filter(([, s]) => s.expiresAt > e.expiresAt - SESSION_TTL_MS);
    return {
      ...user,
      sessions: { ...Object.fromEntries(live), [e.sessionId]: { tokenHash: e.tokenHash, expiresAt: e.expiresAt } },
    };
  }

  @EventHandler(UserSignedOut)
  protected signedOut(e: UserSignedOut): UserState {
    const user = this.state as ExistingUser;
    const { [e.sessionId]: _ended, ...rest } = user.sessions ?? {};
    return { ...user, sessions: rest };
  }

  @EventHandler(UserEmailVerificationIssued)
  protected verificationIssued(e: UserEmailVerificationIssued): UserState {
    return { ...(this.state as ExistingUser), emailVerification: { ...e } };
  }

  @EventHandler(UserEmailVerificationFulfilled)
  protected verificationFulfilled(): UserState {
    return { ...(this.state as ExistingUser), verified: true, emailVerification: null };
  }
}

function verificationFor(newEmail: string, oldEmail: string | null) {
  return new UserEmailVerificationIssued({
    token: newSecret(),
    newEmail,
    oldEmail,
    expiresAt: now() + EMAIL_TOKEN_TTL_MS,
  });
}
