import { aggregateClients } from '@escf/cloudflare';
import { Account, Transfer } from './domain/index.js';

/** Typed clients of the bank's aggregates, for every worker bound to their Durable Objects. */
export const aggregates = aggregateClients({
  account: { aggregate: Account, binding: 'ACCOUNT_AGGREGATE' },
  transfer: { aggregate: Transfer, binding: 'TRANSFER_AGGREGATE' },
});
