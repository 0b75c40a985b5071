import { type Envelope, EventHandler, Projection, Unauthorized } from '@escf/core';
import { and, eq, gt } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { now, UserCreated, UserDeleted, UserSignedIn, UserSignedOut, UserUpdated } from '../../../src/domain/index.js';
import type { EscfEnv } from './escf-env.generated.js';
import { type SessionView, sessionView } from './session.js';
import { sessions, sessionUsers } from './session-tables.js';

/** Who a valid session token belongs to. */
export interface SessionPrincipal {
  readonly userId: string;
  readonly sessionId: string;
}

/**
 * Seed 000's SessionService: a projection of the User events. Sessions are
 * events too (`UserSignedIn`, `UserSignedOut`, `UserDeleted`), so a rebuild
 * from the log restores every open session. It finds a session by the
 * SHA-256 of its bearer token; expired sessions do not count.
 */
@Projection('sessions')
export class SessionService {
  private readonly db;

  constructor(env: EscfEnv) {
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
    return Object.keys(changes).length === 0
      ? []
      : this.db.update(sessionUsers).set(changes).where(eq(sessionUsers.userId, e.aggregateId));
  }

  @EventHandler(UserSignedIn)
  onSignedIn(e: Envelope<UserSignedIn>) {
    const { sessionId, tokenHash, expiresAt } = e.payload;
    return this.db
      .insert(sessions)
      .values({ sessionId, userId: e.aggregateId, tokenHash, expiresAt })
      .onConflictDoNothing();
  }

  @EventHandler(UserSignedOut)
  onSignedOut(e: Envelope<UserSignedOut>) {
    return this.db.delete(sessions).where(eq(sessions.sessionId, e.payload.sessionId));
  }

  // A deleted user's sessions end with it.
  @EventHandler(UserDeleted)
  onDeleted(e: Envelope<UserDeleted>) {
    return [
      this.db.delete(sessions).where(eq(sessions.userId, e.aggregateId)),
      this.db.delete(sessionUsers).where(eq(sessionUsers.userId, e.aggregateId)),
    ];
  }

  resetReadModel() {
    return [this.db.delete(sessions), this.db.delete(sessionUsers)];
  }

  /** The user and session of a token's hash; `UNAUTHORIZED` if there is none or it expired. */
  async principalOf(tokenHash: string): Promise<SessionPrincipal> {
    const session = await this.live(tokenHash);
    return { userId: session.userId, sessionId: session.sessionId };
  }

  /** The session of a token's hash and its user, for its owner. */
  async current(tokenHash: string): Promise<SessionView> {
    const session = await this.live(tokenHash);
    const user = await this.db.select().from(sessionUsers).where(eq(sessionUsers.userId, session.userId)).get();
    if (!user) throw new Unauthorized('Invalid or expired session');
    return sessionView(session, user);
  }

  private async live(tokenHash: string) {
    const session = await this.db
      .select()
      .from(sessions)
      .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now())))
      .get();
    if (!session) throw new Unauthorized('Invalid or expired session');
    return session;
  }
}
