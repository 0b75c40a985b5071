import { aggregateClients } from '@escf/cloudflare';
import { Task } from './domain/index.js';

/** Typed clients of the aggregates, for workers bound to their Durable Objects: `aggregates(env).task(id).add(…)`. */
export const aggregates = aggregateClients({ task: { aggregate: Task, binding: 'TASK_AGGREGATE' } });
