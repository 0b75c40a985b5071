import type { SessionRow, SessionUserRow } from './session-tables.js';

/** What a session's owner sees of it: never the token or its hash. */
export interface SessionView {
  readonly sessionId: string;
  readonly expiresAt: string;
  readonly user: Omit<SessionUserRow, never>;
}

/** The view of a session row and its user. */
export function sessionView(session: SessionRow, user: SessionUserRow): SessionView {
  return { sessionId: session.sessionId, expiresAt: new Date(session.expiresAt).toISOString(), user };
}
