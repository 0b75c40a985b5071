import { defineSystem } from '@escf/cli/config';
import { Ledger } from './src/ledger.js';
import { LedgerTotals } from './src/totals.js';

// A one-aggregate system with archiving on: `escf generate` wrote the API
// worker's archiver, cron, R2 binding and admin wiring, and the projection's
// reader of the archive, which the tests next to this folder run in workerd
// (generated-archiver.int.test.ts).
export default defineSystem({
  name: 'ledger',
  compatibilityDate: '2026-11-01',
  workers: {
    api: {
      kind: 'api',
      dir: 'workers/api',
      from: './src/ledger.ts',
      entry: './workers/api/src/app.ts',
      aggregates: [Ledger],
    },
    // A projection: with `archive`, it rebuilds from R2, then D1.
    totals: { kind: 'projection', dir: 'workers/totals', from: './src/totals.ts', projection: LedgerTotals },
  },
  console: { dir: 'workers/console' },
  archive: { retention: './src/retention.ts', schedule: '*/5 * * * *', bucket: 'ledger-archive' },
});
