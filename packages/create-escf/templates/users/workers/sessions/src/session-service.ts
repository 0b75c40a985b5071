import { EventHandler, NotFound, Projection, type Envelope } from '@escf/core';
import { replyFrom, unwrapReply, type RpcReply } from '@escf/cloudflare';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { UserCreated, UserDeleted, UserUpdated, type CreateUser } from '../../../src/domain/index.js';
import type { EscfEnv } from './escf-env.generated.js';
import { Session } from './session.js';
import { sessionUsers, sessions, type SessionUserRow } from './session-tables.js';

/** How long a session lasts. */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Seed 000's SessionService: a projection that keeps its own copy of the
 * users, opens sessions on `register` / `authenticate` (both through the
 * users projection, which runs the User aggregate's commands) and answers
 * `getSession` with an RpcTarget {@link Session}.
 */
@Projection('sessions')
export class SessionService {
  private readonly db;

  constructor(private readonly env: EscfEnv) {
    this.db = drizzle(env.SESSIONS_DB);
  }

  @EventHandler(UserCreated)
  onCreated(e: Envelope<UserCreated>) {
    return this.db.insert(sessionUsers).values({ userId: e.aggregateId, name: e.payload.name, email: e.payload.email });
  }

  @EventHandler(UserUpdated)
  onUpdated(e: Envelope<UserUpdated>) {
    const { name, email } = e.payload;
    const changes = { ...(name === undefined ? {} : { name }), ...(email === undefined ? {} : { email }) };
    return Object.keys(changes).length === 0 ? [] : this.db.update(sessionUsers).set(changes).where(eq(sessionUsers.userId, e.aggregateId));
  }

  // A deleted user's sessions end with it.
  @EventHandler(UserDeleted)
  onDeleted(e: Envelope<UserDeleted>) {
    return [this.db.delete(sessions).where(eq(sessions.userId, e.aggregateId)), this.db.delete(sessionUsers).where(eq(sessionUsers.userId, e.aggregateId))];
  }

  resetReadModel() {
    return [this.db.delete(sessions), this.db.delete(sessionUsers)];
  }

  /** Signs up a new user and opens their first session. */
  async register(input: CreateUser): Promise<RpcReply<Session>> {
    return replyFrom(async () => {
      const { userId } = unwrapReply(await this.env.USERS.register(input));
      return this.open({ userId, name: input.name, email: input.email });
    });
  }

  /** Checks email and password and opens a session; `UNAUTHORIZED` otherwise. */
  async authenticate(email: string, password: string): Promise<RpcReply<Session>> {
    return replyFrom(async () => {
      const { userId } = unwrapReply(await this.env.USERS.authenticate(email, password));
      return this.open(await this.user(userId));
    });
  }

  /** An open session; `NOT_FOUND` if it does not exist or has expired. */
  async getSession(sessionId: string): Promise<RpcReply<Session>> {
    return replyFrom(async () => {
      const session = await this.db.select().from(sessions).where(eq(sessions.sessionId, sessionId)).get();
      if (!session || session.expiresAt < Date.now()) throw new NotFound('Invalid session');
      return new Session(await this.user(session.userId), session, false);
    });
  }

  private async user(userId: string): Promise<SessionUserRow> {
    const user = await this.db.select().from(sessionUsers).where(eq(sessionUsers.userId, userId)).get();
    if (!user) throw new NotFound('Invalid session');
    return user;
  }

  private async open(user: SessionUserRow): Promise<Session> {
    const session = { sessionId: crypto.randomUUID(), userId: user.userId, expiresAt: Date.now() + SESSION_TTL_MS };
    await this.db.insert(sessions).values(session);
    return new Session(user, session, true);
  }
}
