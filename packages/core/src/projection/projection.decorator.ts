import { MetadataKey } from '../metadata/metadata-keys.js';
import { reactorClassDecorator } from './reactor-handlers.js';

/** What `@Projection` records on a class. */
export interface ProjectionMetadata {
  readonly name: string;
}

/**
 * Declares a read model: a class with `@EventHandler` methods that turn
 * events into rows and ordinary async methods that answer queries.
 * `projectionEntrypoint(Class)` from `@escf/cloudflare` turns it into a
 * worker that consumes events from its queue or by direct RPC delivery and
 * serves the queries over RPC.
 *
 * The name is stable (stored in checkpoints, used for bindings: `'sessions'`
 * → `SESSIONS_DB`, `SESSIONS_QUEUE`, service `SESSIONS`); never the class name.
 * The class is constructed with the worker's `env`.
 *
 * Handlers receive the event envelope and may return D1 statements (or
 * Drizzle queries) instead of awaiting them: ESCF then commits them in one
 * D1 batch with the projection's checkpoint, so an event's effect is
 * applied exactly once.
 *
 * @example
 * ```ts
 * @Projection('sessions')
 * export class Sessions {
 *   private readonly db;
 *   constructor(env: Env) { this.db = drizzle(env.SESSIONS_DB); }
 *
 *   @EventHandler(UserCreated)
 *   onCreated(e: Envelope<UserCreated>) {
 *     return this.db.insert(users).values({ userId: e.aggregateId, name: e.payload.name });
 *   }
 *
 *   async getUser(id: string) { return this.db.select().from(users).where(eq(users.userId, id)).get(); }
 * }
 * ```
 */
export function Projection(name: string) {
  return reactorClassDecorator('@Projection', MetadataKey.Projection, name);
}
