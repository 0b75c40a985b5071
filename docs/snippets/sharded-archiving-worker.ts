import type { ProjectionEntrypointOptions } from '@escf/cloudflare';
import {
  archiveOnSchedule,
  durableObjectRetention,
  ShardedArchivingEventStore,
  ShardedEventArchiver,
} from '@escf/cloudflare/archive';
import { defineRetention, retention } from '@escf/core/retention';

interface Env {
  ESCF_EVENTS: D1Database;
  ESCF_EVENTS_1: D1Database;
  ESCF_ARCHIVE: R2Bucket;
  COUNTER_AGGREGATE: DurableObjectNamespace;
}

const SHARDS = ['ESCF_EVENTS', 'ESCF_EVENTS_1'] as const;
const databases = (env: Env) => SHARDS.map((binding) => env[binding]);

const policies = defineRetention({
  default: retention.keepDays(90),
  aggregates: { Counter: retention.keepLastEvents(1_000) },
  pruneDurableObjects: ['Counter'],
});

// One archiver per shard database, each under its own R2 prefix. A shard's
// hooks name that shard's database and prefix: a pruned counter reads its history back from there.
const archiver = (env: Env) =>
  new ShardedEventArchiver(databases(env), env.ESCF_ARCHIVE, {
    retention: policies,
    aggregates: (shard, prefix) =>
      durableObjectRetention(env, {
        bindings: { Counter: 'COUNTER_AGGREGATE' },
        history: { d1: SHARDS[shard]!, bucket: 'ESCF_ARCHIVE', table: 'escf_events', prefix },
      }),
  });

// Projections read every shard's R2 archive, then its D1, with one cursor per shard:
// projectionEntrypoint(MyProjection, readEveryShard)
export const readEveryShard: ProjectionEntrypointOptions<Env> = {
  eventStore: (env) => new ShardedArchivingEventStore(databases(env), env.ESCF_ARCHIVE),
};

export default {
  scheduled: archiveOnSchedule({ archiver }),
} satisfies ExportedHandler<Env>;
