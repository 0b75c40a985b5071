// worker.ts (generated)
import { durableObjectFor } from '@escf/cloudflare';
import { User, userAggregateOptions } from '../../examples/users/src/domain/index.js';

export const UserAggregate = durableObjectFor(User, {
  ...userAggregateOptions, // uniqueness, sensitive receivers: what the generator cannot derive
  queues: ['ESCF_EVENTS_QUEUE'], // queue producers: one JSON EventEnvelope per message
  services: ['SESSIONS'], // service bindings to WorkerEntrypoints with deliver(events)
});
