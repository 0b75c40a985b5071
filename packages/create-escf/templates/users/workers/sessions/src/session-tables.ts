import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** The users the session service knows (its own copy, from the User events). */
export const sessionUsers = sqliteTable('session_users', {
  userId: text('user_id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull(),
});

/** Open sessions. */
export const sessions = sqliteTable(
  'sessions',
  {
    sessionId: text('session_id').primaryKey(),
    userId: text('user_id').notNull(),
    /** Milliseconds since the epoch. */
    expiresAt: integer('expires_at').notNull(),
  },
  (table) => [index('sessions_user').on(table.userId)],
);

export type SessionUserRow = typeof sessionUsers.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
