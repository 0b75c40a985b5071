import { type Envelope, EventHandler, Projection } from '@escf/core';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { UserCreated, UserDeleted } from '../../examples/users/src/domain/index.js';

const users = sqliteTable('users', { userId: text('user_id').primaryKey(), name: text('name'), email: text('email') });
const sessions = sqliteTable('sessions', { id: text('id').primaryKey(), userId: text('user_id').notNull() });
type Session = typeof sessions.$inferSelect;

@Projection('sessions') // stable name → SESSIONS_DB, SESSIONS_QUEUE, service SESSIONS
export class Sessions {
  private readonly db;
  constructor(env: { SESSIONS_DB: D1Database }) {
    this.db = drizzle(env.SESSIONS_DB);
  }

  @EventHandler(UserCreated)
  onCreated(e: Envelope<UserCreated>) {
    // Return the query, do not await it: ESCF commits it in one D1 batch with the checkpoint.
    return this.db.insert(users).values({ userId: e.aggregateId, name: e.payload.name, email: e.payload.email });
  }

  @EventHandler(UserDeleted)
  onDeleted(e: Envelope<UserDeleted>) {
    return [
      this.db.delete(users).where(eq(users.userId, e.aggregateId)),
      this.db.delete(sessions).where(eq(sessions.userId, e.aggregateId)),
    ];
  }

  /** A query other workers call over RPC. */
  async getSession(id: string): Promise<Session | undefined> {
    return this.db.select().from(sessions).where(eq(sessions.id, id)).get();
  }

  /** Needed for rebuilds: the statements that empty the read model. */
  resetReadModel() {
    return [this.db.delete(sessions), this.db.delete(users)];
  }
}
