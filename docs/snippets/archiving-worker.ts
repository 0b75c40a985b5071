import { durableObjectFor, type ProjectionEntrypointOptions } from '@escf/cloudflare';
import {
  ArchivingEventStore,
  archiveAdminEntrypoint,
  archivedHistory,
  archiveOnSchedule,
  defaultArchivePrefix,
  durableObjectRetention,
  EventArchiver,
} from '@escf/cloudflare/archive';
import { defineRetention, retention } from '@escf/core/retention';
import { Counter } from './readme-counter.js';

interface Env {
  ESCF_EVENTS: D1Database;
  ESCF_ARCHIVE: R2Bucket;
  COUNTER_AGGREGATE: DurableObjectNamespace;
  ESCF_ADMIN_TOKEN: string;
}

// Keep 90 days hot by default; counters keep their last 1,000 events and
// also drop archived history from their own Durable Object storage.
const policies = defineRetention({
  default: retention.keepDays(90),
  aggregates: { Counter: retention.keepLastEvents(1_000) },
  pruneDurableObjects: ['Counter'],
});

const archiver = (env: Env) =>
  new EventArchiver(env.ESCF_EVENTS, env.ESCF_ARCHIVE, {
    retention: policies,
    aggregates: durableObjectRetention(env, {
      bindings: { Counter: 'COUNTER_AGGREGATE' },
      history: { d1: 'ESCF_EVENTS', bucket: 'ESCF_ARCHIVE', table: 'escf_events', prefix: defaultArchivePrefix() },
    }),
  });

// A pruned counter whose snapshot a code change invalidates reads its history back from the archive.
export const CounterAggregate = durableObjectFor(Counter, { prunedHistory: archivedHistory });

// Operators: RPC from other workers, or HTTP with `Authorization: Bearer <ESCF_ADMIN_TOKEN>`.
export const ArchiveAdmin = archiveAdminEntrypoint({ archiver, tokenBinding: 'ESCF_ADMIN_TOKEN' });

// Projections read archive + D1 as one log, so a rebuild starts at position 0 in R2:
// projectionEntrypoint(MyProjection, readWholeLog)
export const readWholeLog: ProjectionEntrypointOptions<Env> = {
  eventStore: (env) => new ArchivingEventStore(env.ESCF_EVENTS, env.ESCF_ARCHIVE),
};

export default {
  // wrangler.jsonc: "triggers": { "crons": ["*/15 * * * *"] }
  scheduled: archiveOnSchedule({ archiver }),
} satisfies ExportedHandler<Env>;
