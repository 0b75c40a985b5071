import { EscfError, type EscfErrorOptions } from './escf-error.js';

/**
 * A client asked to wait for synchronous delivery to a projection the
 * aggregate's host does not deliver to synchronously (`{ sync: ['balances'] }`),
 * or for every synchronous projection (`{ sync: true }`, `requested: ['*']`)
 * of a host that has none. Code `SYNC_NOT_DECLARED`. Raised before the
 * command runs, so nothing is stored. Fix the configuration, not the
 * request: declare the projection `delivery: 'sync'` in `escf.config.ts`
 * and run `npx escf generate`, or drop `sync` from the client.
 */
export class SyncNotDeclaredError extends EscfError {
  override readonly name = 'SyncNotDeclaredError';
  readonly code = 'SYNC_NOT_DECLARED';
  declare readonly details: {
    readonly aggregateType: string;
    readonly requested: readonly string[];
    readonly declared: readonly string[];
  };

  constructor(
    message: string,
    options: EscfErrorOptions<{ aggregateType: string; requested: string[]; declared: string[] }>,
  ) {
    super(message, options);
  }
}
