import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** The users read model (migrations/0001_users.sql creates it). */
export const users = sqliteTable(
  'users',
  {
    userId: text('user_id').primaryKey(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    emailVerified: integer('email_verified', { mode: 'boolean' }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('users_email').on(table.email)],
);

/** One row of the users read model. */
export type UserRow = typeof users.$inferSelect;
