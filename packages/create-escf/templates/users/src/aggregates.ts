import { aggregateClients } from '@escf/cloudflare';
import { User } from './domain/index.js';

/**
 * Typed clients of the system's aggregates, for every worker bound to their
 * Durable Objects: `aggregates(env, { sync: true }).user(id).create(…)`.
 */
export const aggregates = aggregateClients({ user: { aggregate: User, binding: 'USER_AGGREGATE' } });
