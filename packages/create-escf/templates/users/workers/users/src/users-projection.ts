import { type Envelope, EventHandler, NotFound, Projection } from '@escf/core';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { UserCreated, UserDeleted, UserEmailVerificationFulfilled, UserUpdated } from '../../../src/domain/index.js';
import type { EscfEnv } from './escf-env.generated.js';
import { type UserRow, users } from './users-table.js';

/** What other workers see of a user. */
export type UserView = Omit<UserRow, 'createdAt'> & { readonly createdAt: string };

/**
 * The users read model (seed 000's users projection): one row per live
 * user. Sign-up and sign-in go through the User aggregate itself (its email
 * is unique by a claim, not by a check here). Queries return values or throw ESCF errors; the
 * generated entrypoint carries them, codes included, to the API worker's `projectionClients`.
 */
@Projection('users')
export class UsersProjection {
  private readonly db;

  constructor(env: EscfEnv) {
    this.db = drizzle(env.USERS_DB);
  }

  // Handlers return their Drizzle queries unawaited: ESCF commits them in one D1 batch with the checkpoint.
  @EventHandler(UserCreated)
  onCreated(e: Envelope<UserCreated>) {
    const { name, email } = e.payload;
    return this.db
      .insert(users)
      .values({ userId: e.aggregateId, name, email, emailVerified: false, createdAt: e.timestamp });
  }

  @EventHandler(UserUpdated)
  onUpdated(e: Envelope<UserUpdated>) {
    const { name, email } = e.payload;
    // A new address is unverified until its token comes back.
    const changes = {
      ...(name === undefined ? {} : { name }),
      ...(email === undefined ? {} : { email, emailVerified: false }),
    };
    return Object.keys(changes).length === 0
      ? []
      : this.db.update(users).set(changes).where(eq(users.userId, e.aggregateId));
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
  async get(userId: string): Promise<UserView> {
    return view(await this.row(eq(users.userId, userId), `User ${userId} not found`));
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
