import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** The users the session service knows (its own copy, from the User events). */
export const sessionUsers = sqliteTable('session_users', {
  userId: text('user_id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull(),
});

/** Open sessions, from `UserSignedIn` / `UserSignedOut` events: a rebuild restores them. */
export const sessions = sqliteTable(
  'sessions',
  {
    sessionId: text('session_id').primaryKey(),
    userId: text('user_id').notNull(),
    /** Milliseconds since the epoch. */
    expiresAt: integer('expires_at').notNull(),
    /** SHA-256 of the bearer token (the token itself is never stored). */
    tokenHash: text('token_hash').notNull(),
  },
  (table) => [index('sessions_user').on(table.userId), index('sessions_token').on(table.tokenHash)],
);

export type SessionUserRow = typeof sessionUsers.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
