import { Aggregate, Command, Conflict, DomainError, EventHandler, NotFound, Unauthorized } from '@escf/core';
import {
  Authenticate,
  CreateUser,
  DeleteUser,
  FulfillEmailVerification,
  UpdateUser,
} from './user-commands.js';
import {
  UserAuthenticated,
  UserCreated,
  UserDeleted,
  UserEmailVerificationFulfilled,
  UserEmailVerificationIssued,
  UserUpdated,
} from './user-events.js';
import { hashPassword, verifyPassword } from './password.js';

/** A pending proof that the user owns `newEmail`. */
export interface EmailVerification {
  readonly token: string;
  readonly newEmail: string;
  readonly oldEmail: string | null;
  readonly expiresAt: number | null;
}

/** The User aggregate's state: nothing yet, or a (possibly deleted) user. */
export type UserState =
  | { readonly status: 'new' }
  | {
      readonly status: 'active' | 'deleted';
      readonly name: string;
      readonly email: string;
      readonly passwordHash: string;
      readonly emailVerification: EmailVerification | null;
    };

type ExistingUser = Exclude<UserState, { status: 'new' }>;

/** How long a token for a changed email address stays valid. */
export const EMAIL_CHANGE_TOKEN_TTL_MS = 60 * 60 * 1000;

/** The seed 000 User: sign-up, profile changes, deletion, authentication and email verification. */
export class User extends Aggregate<UserState> {
  static readonly type = 'User';

  protected initialState(): UserState {
    return { status: 'new' };
  }

  @Command(CreateUser, { emits: [UserCreated, UserEmailVerificationIssued] })
  async create(input: CreateUser) {
    if (this.state.status !== 'new') throw new Conflict('User already exists', undefined, 'USER_EXISTS');
    return [
      new UserCreated({ name: input.name, email: input.email, passwordHash: await hashPassword(input.password) }),
      new UserEmailVerificationIssued({ token: newToken(), newEmail: input.email, oldEmail: null, expiresAt: null }),
    ];
  }

  @Command(UpdateUser, { emits: [UserUpdated, UserEmailVerificationIssued] })
  update(input: UpdateUser) {
    const user = this.existing();
    const updated = new UserUpdated(input);
    if (input.email === undefined || input.email === user.email) return updated;
    return [
      updated,
      new UserEmailVerificationIssued({
        token: newToken(),
        newEmail: input.email,
        oldEmail: user.email,
        expiresAt: Date.now() + EMAIL_CHANGE_TOKEN_TTL_MS,
      }),
    ];
  }

  @Command(DeleteUser, { emits: [UserDeleted] })
  delete() {
    this.existing();
    return new UserDeleted({});
  }

  @Command(Authenticate, { emits: [UserAuthenticated] })
  async authenticate(input: Authenticate) {
    const user = this.existing();
    if (!(await verifyPassword(input.password, user.passwordHash))) throw new Unauthorized('Invalid password');
    return new UserAuthenticated({});
  }

  @Command(FulfillEmailVerification, { emits: [UserEmailVerificationFulfilled] })
  fulfillEmailVerification(input: FulfillEmailVerification) {
    const { emailVerification } = this.existing();
    if (emailVerification === null) throw new Conflict('Email already verified', undefined, 'ALREADY_VERIFIED');
    if (emailVerification.expiresAt !== null && Date.now() > emailVerification.expiresAt) {
      throw new DomainError('VERIFICATION_EXPIRED', 'The verification token has expired');
    }
    if (emailVerification.token !== input.token) throw new DomainError('INVALID_TOKEN', 'Invalid verification token');
    return new UserEmailVerificationFulfilled({});
  }

  /** The user, or the reason a command cannot touch it. */
  private existing(): ExistingUser {
    if (this.state.status === 'new') throw new NotFound(`User ${this.id} not found`);
    if (this.state.status === 'deleted') throw new DomainError('USER_DELETED', `User ${this.id} was deleted`);
    return this.state;
  }

  @EventHandler(UserCreated)
  protected created(e: UserCreated): UserState {
    return { status: 'active', name: e.name, email: e.email, passwordHash: e.passwordHash, emailVerification: null };
  }

  @EventHandler(UserUpdated)
  protected updated(e: UserUpdated): UserState {
    const user = this.state as ExistingUser;
    return { ...user, name: e.name ?? user.name, email: e.email ?? user.email };
  }

  @EventHandler(UserDeleted)
  protected deleted(): UserState {
    return { ...(this.state as ExistingUser), status: 'deleted' };
  }

  @EventHandler(UserAuthenticated)
  protected authenticated(): UserState {
    return this.state;
  }

  @EventHandler(UserEmailVerificationIssued)
  protected verificationIssued(e: UserEmailVerificationIssued): UserState {
    return { ...(this.state as ExistingUser), emailVerification: { ...e } };
  }

  @EventHandler(UserEmailVerificationFulfilled)
  protected verificationFulfilled(): UserState {
    return { ...(this.state as ExistingUser), emailVerification: null };
  }
}

function newToken(): string {
  return crypto.randomUUID().replaceAll('-', '');
}
