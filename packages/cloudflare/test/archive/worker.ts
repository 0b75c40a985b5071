// The worker the archive tests run in: Ledger aggregates, the D1 event store,
// the R2 archive, a cron-driven archiver and the admin entrypoint.

import type { D1Migration } from 'cloudflare:test';
import { retention } from '@escf/core/retention';
import {
  type ArchiveBatchesReport,
  archiveAdminEntrypoint,
  archivedHistory,
  archiveOnSchedule,
  EventArchiver,
} from '../../src/archive/index.js';
import { durableObjectFor } from '../../src/index.js';
import { Ledger } from './ledger-domain.js';

/** Drains to D1 right after each commit; reads history pruned by retention back from the archive. */
export const LedgerAggregate = durableObjectFor(Ledger, { prunedHistory: archivedHistory });

/** The sharded store's table (in ESCF_EVENTS and ESCF_EVENTS_1), apart from the tables other tests archive. */
export const SHARDED_TABLE = 'sharded_ledger_events';
export const SHARD_BINDINGS = ['ESCF_EVENTS', 'ESCF_EVENTS_1'] as const;
/** Ledger over a sharded event store of two databases; pruned history is read back from its shard's archive. */
export const ShardedLedgerAggregate = durableObjectFor(Ledger, {
  eventStore: { shards: SHARD_BINDINGS, table: SHARDED_TABLE },
  prunedHistory: archivedHistory,
});

/** The table the scheduled archiver and the admin entrypoint work on. */
export const SCHEDULED_TABLE = 'scheduled_events';

const archiver = (env: Env) =>
  new EventArchiver(env.ESCF_EVENTS, env.ESCF_ARCHIVE, {
    table: SCHEDULED_TABLE,
    retention: { default: retention.keepLastEvents(2) },
    maxRowsPerRun: 4,
  });

/** Operators' entry: RPC and token-guarded HTTP. */
export const ArchiveAdmin = archiveAdminEntrypoint({ archiver, tokenBinding: 'ADMIN_TOKEN', maxRuns: 2 });

export interface Env {
  LEDGER_AGGREGATE: DurableObjectNamespace<InstanceType<typeof LedgerAggregate>>;
  ESCF_EVENTS: D1Database;
  ESCF_EVENTS_1: D1Database;
  SHARDED_LEDGER: DurableObjectNamespace<InstanceType<typeof ShardedLedgerAggregate>>;
  ESCF_ARCHIVE: R2Bucket;
  ARCHIVE_ADMIN: Service<InstanceType<typeof ArchiveAdmin>>;
  ADMIN_TOKEN: string;
  TEST_MIGRATIONS: D1Migration[];
}

/** The last scheduled report, for the test to look at. */
export const scheduledReports: ArchiveBatchesReport[] = [];

export default {
  async fetch(): Promise<Response> {
    return new Response('escf archive test worker');
  },
  scheduled: archiveOnSchedule<Env>({ archiver, onReport: (report) => void scheduledReports.push(report) }),
} satisfies ExportedHandler<Env>;
