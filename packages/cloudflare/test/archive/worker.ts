// The worker the archive tests run in: Ledger aggregates, the D1 event store and the R2 archive.
import type { D1Migration } from 'cloudflare:test';
import { durableObjectFor } from '../../src/index.js';
import { Ledger } from './ledger-domain.js';

/** Drains to D1 right after each commit. */
export const LedgerAggregate = durableObjectFor(Ledger);

export interface Env {
  LEDGER_AGGREGATE: DurableObjectNamespace<InstanceType<typeof LedgerAggregate>>;
  ESCF_EVENTS: D1Database;
  ESCF_ARCHIVE: R2Bucket;
  TEST_MIGRATIONS: D1Migration[];
}

export default {
  async fetch(): Promise<Response> {
    return new Response('escf archive test worker');
  },
};
