import { defineSystem } from '@escf/cli/config';
import { Account, Transfer } from './src/domain/index.js';
import { BalancesProjection } from './workers/balances/src/balances-projection.js';
import { LargeWithdrawalsProcess } from './workers/large-withdrawals/src/large-withdrawals-process.js';
import { StatementsProjection } from './workers/statements/src/statements-projection.js';
import { TransferSaga, TransfersProcess } from './workers/transfers/src/transfers-worker.js';

// Seed 004's bank: `npx escf generate` turns this into each worker's entry
// module, Env type, D1 migrations and wrangler.jsonc bindings.
export default defineSystem({
  name: 'bank',
  compatibilityDate: '2026-11-01',
  workers: {
    // The REST API; it hosts the Account and Transfer aggregates' Durable Objects.
    api: {
      kind: 'api',
      dir: 'workers/api',
      from: './src/domain/index.ts',
      entry: './workers/api/src/app.ts',
      aggregates: [Account, Transfer],
      calls: ['balances', 'statements'],
    },
    // Balances: delivered synchronously, so the API reads its own writes.
    balances: {
      kind: 'projection',
      dir: 'workers/balances',
      from: './workers/balances/src/balances-projection.ts',
      projection: BalancesProjection,
      delivery: 'sync',
    },
    // Statements: fed by its queue.
    statements: {
      kind: 'projection',
      dir: 'workers/statements',
      from: './workers/statements/src/statements-projection.ts',
      projection: StatementsProjection,
    },
    // Starts a TransferSaga (Cloudflare Workflows) per requested transfer.
    transfers: {
      kind: 'process',
      dir: 'workers/transfers',
      from: './workers/transfers/src/transfers-worker.ts',
      process: TransfersProcess,
      options: 'transfersOptions',
      commands: [Account, Transfer],
      workflows: [{ binding: 'TRANSFER_SAGA', workflow: TransferSaga }],
    },
    // Flags large withdrawals, in order per account.
    'large-withdrawals': {
      kind: 'process',
      dir: 'workers/large-withdrawals',
      from: './workers/large-withdrawals/src/large-withdrawals-process.ts',
      process: LargeWithdrawalsProcess,
      options: 'largeWithdrawalsOptions',
      commands: [Account],
    },
  },
  // OpenTelemetry traces: on in the workers whose env has ESCF_OTLP_ENDPOINT (see docs/observability.md).
  tracing: { sampleRatio: 1 },
});
