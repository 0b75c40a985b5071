// A system over a sharded event store (two D1 databases), with its admin
// entrypoint and the ESCF console in one worker: the console reaches the
// admin entrypoint over a service binding to this same worker.

import { durableObjectFor, projectionEntrypoint, ShardedD1EventStore } from '@escf/cloudflare';
import { adminEntrypoint } from '@escf/cloudflare/admin';
import { ShardedEventArchiver } from '@escf/cloudflare/archive';
import { retention } from '@escf/core/retention';
import { consoleWorker } from '../../src/index.js';
import { Tally, Totals } from './tally.js';

export const SHARDS = ['ESCF_EVENTS', 'ESCF_EVENTS_1'] as const;

interface Env {
  ESCF_EVENTS: D1Database;
  ESCF_EVENTS_1: D1Database;
  ESCF_ARCHIVE: R2Bucket;
  TOTALS_DB: D1Database;
}

const shardDatabases = (env: Env) => SHARDS.map((binding) => env[binding]);

/** Delivers to the projection directly: a command answers once the projection applied it. */
export const TallyAggregate = durableObjectFor(Tally, { services: ['TOTALS'], eventStore: { shards: SHARDS } });

export const TotalsProjection = projectionEntrypoint(Totals, {
  database: 'TOTALS_DB',
  eventStore: (env: Env) => new ShardedD1EventStore(shardDatabases(env)),
});

export const EscfAdmin = adminEntrypoint({
  aggregates: [Tally],
  topology: {
    name: 'sharded-console-test',
    aggregates: [{ type: 'Tally', binding: 'TALLY_AGGREGATE', worker: 'escf-sharded-console-test' }],
    reactors: [
      {
        kind: 'projection',
        name: 'totals',
        worker: 'escf-sharded-console-test',
        delivery: 'sync',
        events: ['Tallied'],
        adminBinding: 'TOTALS',
      },
    ],
  },
  eventStoreShards: { bindings: SHARDS },
  archiver: (env: Env) =>
    new ShardedEventArchiver(shardDatabases(env), env.ESCF_ARCHIVE, {
      retention: { default: retention.keepLastEvents(1) },
    }),
});

export default consoleWorker({ system: 'sharded-console-test', admin: 'ESCF_ADMIN' });
