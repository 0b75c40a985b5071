// The worker the admin entrypoint tests run in: the Counter and Vault
// aggregates (delivering directly to the Tally projection), the projection
// itself, and two admin entrypoints — one with tokens, one without.

import { adminEntrypoint, type SystemTopology } from '../../src/admin/index.js';
import { durableObjectFor, processEntrypoint, projectionEntrypoint, ShardedD1EventStore } from '../../src/index.js';
import { Counter } from '../projection/counter-domain.js';
import { Notifier } from '../projection/notifier-process.js';
import { Tally } from '../projection/tally-projection.js';
import { ShardedTally } from './sharded-tally-projection.js';
import { Vault } from './vault-domain.js';

export const CounterAggregate = durableObjectFor(Counter, { services: ['TALLY'] });
export const VaultAggregate = durableObjectFor(Vault, {});
/** Counter over a sharded event store of two databases (its own, apart from ESCF_EVENTS). */
export const SHARD_BINDINGS = ['SHARD_0', 'SHARD_1'] as const;
export const ShardedCounterAggregate = durableObjectFor(Counter, { eventStore: { shards: SHARD_BINDINGS } });

export const TallyProjection = projectionEntrypoint(Tally, { rebuildBatchSize: 5 });
/** A projection over both shard databases (delivered to by hand in the tests: the sharded Counter has no subscriber). */
export const ShardedTallyProjection = projectionEntrypoint(ShardedTally, {
  database: 'SHARDED_TALLY_DB',
  eventStore: (env: Env) => new ShardedD1EventStore([env.SHARD_0, env.SHARD_1]),
});
export default TallyProjection;

/** The process the admin re-drives (its effects land in NOTIFIER_DB's `effects` table). */
export const NotifierProcess = processEntrypoint(Notifier, {
  database: 'NOTIFIER_DB',
  sweep: false, // the tests re-drive by hand
  effects: (env: Env) => ({
    async notify(target: string, detail: string) {
      await env.NOTIFIER_DB.prepare('INSERT INTO effects (target, detail) VALUES (?, ?)').bind(target, detail).run();
    },
  }),
});

export const topology: SystemTopology = {
  name: 'admin-test',
  aggregates: [
    { type: 'Counter', binding: 'COUNTER_AGGREGATE', worker: 'escf-admin-test' },
    { type: 'Vault', binding: 'VAULT_AGGREGATE', worker: 'escf-admin-test' },
  ],
  reactors: [
    {
      kind: 'projection',
      name: 'tally',
      worker: 'escf-admin-test',
      delivery: 'sync',
      events: ['Counted', 'Measured', 'Poked'],
      adminBinding: 'TALLY',
    },
    {
      kind: 'process',
      name: 'notifier',
      worker: 'escf-admin-test',
      delivery: 'queue',
      queue: 'notifier-events',
      deadLetterQueue: 'notifier-dlq',
      events: ['Recorded'],
      adminBinding: 'NOTIFIER',
    },
  ],
};

export const EscfAdmin = adminEntrypoint({ aggregates: [Counter, Vault], topology });
/** The admin entrypoint of the sharded Counter: lists, heads and tails read both shard databases. */
export const ShardedAdmin = adminEntrypoint({
  aggregates: [Counter],
  topology: {
    name: 'admin-sharded-test',
    aggregates: [{ type: 'Counter', binding: 'SHARDED_COUNTER', worker: 'escf-admin-test' }],
    reactors: [
      {
        kind: 'projection',
        name: 'sharded-tally',
        worker: 'escf-admin-test',
        delivery: 'sync',
        events: ['Counted'],
        adminBinding: 'SHARDED_TALLY',
      },
    ],
  },
  eventStoreShards: { bindings: SHARD_BINDINGS },
});

/** Reads tokens from bindings that are not set: must refuse everything. */
export const UnconfiguredAdmin = adminEntrypoint({
  aggregates: [Counter, Vault],
  topology,
  readToken: 'NO_SUCH_READ',
  writeToken: 'NO_SUCH_WRITE',
});

export interface Env {
  COUNTER_AGGREGATE: DurableObjectNamespace<InstanceType<typeof CounterAggregate>>;
  VAULT_AGGREGATE: DurableObjectNamespace<InstanceType<typeof VaultAggregate>>;
  ESCF_EVENTS: D1Database;
  TALLY_DB: D1Database;
  TALLY: Service<InstanceType<typeof TallyProjection>>;
  NOTIFIER_DB: D1Database;
  NOTIFIER: Service<InstanceType<typeof NotifierProcess>>;
  ADMIN: Service<InstanceType<typeof EscfAdmin>>;
  SHARDED_COUNTER: DurableObjectNamespace<InstanceType<typeof ShardedCounterAggregate>>;
  SHARD_0: D1Database;
  SHARD_1: D1Database;
  SHARDED_ADMIN: Service<InstanceType<typeof ShardedAdmin>>;
  SHARDED_TALLY_DB: D1Database;
  SHARDED_TALLY: Service<InstanceType<typeof ShardedTallyProjection>>;
  UNCONFIGURED_ADMIN: Service<InstanceType<typeof UnconfiguredAdmin>> & import('../../src/admin/index.js').AdminRpc;
  ESCF_ADMIN_READ_TOKEN: string;
  ESCF_ADMIN_WRITE_TOKEN: string;
  TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
}
