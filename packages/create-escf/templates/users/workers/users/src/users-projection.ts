import { EventHandler, NotFound, Conflict, Projection, Unauthorized, type Envelope } from '@escf/core';
import { replyFrom, type RpcReply } from '@escf/cloudflare';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { aggregates } from '../../../src/aggregates.js';
import {
  UserCreated,
  UserDeleted,
  UserEmailVerificationFulfilled,
  UserUpdated,
  type CreateUser,
} from '../../../src/domain/index.js';
import type { EscfEnv } from './escf-env.generated.js';
import { users, type UserRow } from './users-table.js';

/** What other workers see of a user. */
export type UserView = Omit<UserRow, 'createdAt'> & { readonly createdAt: string };

/**
 * The users read model (seed 000's users projection): one row per live
 * user, and `register` / `authenticate`, which go through the User
 * aggregate. Queries answer with an `RpcReply` so that error codes
 * (404, 409, 401…) survive the RPC hop to the API worker.
 */
@Projection('users')
export class UsersProjection {
  private readonly db;
  private readonly users;

  constructor(env: EscfEnv) {
    this.db = drizzle(env.USERS_DB);
    // Synchronous: `register` answers once this read model (and sessions) have the user.
    this.users = aggregates(env, { sync: true }).user;
  }

  // Handlers return their Drizzle queries unawaited: ESCF commits them in one D1 batch with the checkpoint.
  @EventHandler(UserCreated)
  onCreated(e: Envelope<UserCreated>) {
    const { name, email } = e.payload;
    return this.db.insert(users).values({ userId: e.aggregateId, name, email, emailVerified: false, createdAt: e.timestamp });
  }

  @EventHandler(UserUpdated)
  onUpdated(e: Envelope<UserUpdated>) {
    const { name, email } = e.payload;
    // A new address is unverified until its token comes back.
    const changes = { ...(name === undefined ? {} : { name }), ...(email === undefined ? {} : { email, emailVerified: false }) };
    return Object.keys(changes).length === 0 ? [] : this.db.update(users).set(changes).where(eq(users.userId, e.aggregateId));
  }

  @EventHandler(UserEmailVerificationFulfilled)
  onVerified(e: Envelope<UserEmailVerificationFulfilled>) {
    return this.db.update(users).set({ emailVerified: true }).where(eq(users.userId, e.aggregateId));
  }

  @EventHandler(UserDeleted)
  onDeleted(e: Envelope<UserDeleted>) {
    return this.db.delete(users).where(eq(users.userId, e.aggregateId));
  }

  /** Needed for rebuilds: empties the read model. */
  resetReadModel() {
    return [this.db.delete(users)];
  }

  /** A user by id; `NOT_FOUND` if there is none (or it was deleted). */
  async get(userId: string): Promise<RpcReply<UserView>> {
    return replyFrom(async () => view(await this.row(eq(users.userId, userId), `User ${userId} not found`)));
  }

  /** Signs a user up under a new id; `EMAIL_TAKEN` if the address is in use. */
  async register(input: CreateUser): Promise<RpcReply<{ userId: string }>> {
    return replyFrom(async () => {
      const taken = await this.db.select({ userId: users.userId }).from(users).where(eq(users.email, input.email)).get();
      // Best effort: two simultaneous sign-ups with one address can both pass this check.
      if (taken) throw new Conflict(`${input.email} is already registered`, undefined, 'EMAIL_TAKEN');
      const userId = crypto.randomUUID();
      await this.users(userId).create(input);
      return { userId };
    });
  }

  /** Checks a password through the aggregate (which records `UserAuthenticated`); `UNAUTHORIZED` otherwise. */
  async authenticate(email: string, password: string): Promise<RpcReply<{ userId: string }>> {
    return replyFrom(async () => {
      const user = await this.db.select({ userId: users.userId }).from(users).where(eq(users.email, email)).get();
      // The same answer as a wrong password: do not reveal which addresses exist.
      if (!user) throw new Unauthorized('Invalid email or password');
      try {
        await this.users(user.userId).authenticate({ password });
      } catch (error) {
        if (error instanceof Unauthorized) throw new Unauthorized('Invalid email or password');
        throw error;
      }
      return { userId: user.userId };
    });
  }

  private async row(where: ReturnType<typeof eq>, notFound: string): Promise<UserRow> {
    const row = await this.db.select().from(users).where(where).get();
    if (!row) throw new NotFound(notFound);
    return row;
  }
}

function view(row: UserRow): UserView {
  return { ...row, createdAt: new Date(row.createdAt).toISOString() };
}
