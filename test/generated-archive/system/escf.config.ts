import { defineSystem } from '@escf/cli/config';
import { Ledger } from './src/ledger.js';

// A one-aggregate system with archiving on: `escf generate` wrote the API
// worker's archiver, cron, R2 binding and admin wiring, which the tests next
// to this folder run in workerd (generated-archiver.int.test.ts).
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
  },
  console: { dir: 'workers/console' },
  archive: { retention: './src/retention.ts', schedule: '*/5 * * * *', bucket: 'ledger-archive' },
});
