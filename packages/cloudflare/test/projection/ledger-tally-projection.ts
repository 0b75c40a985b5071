// The tally, as its own projection over an event store on another binding and table.
import { Projection } from '@escf/core';
import { Tally } from './tally-projection.js';

@Projection('ledger-tally')
export class LedgerTally extends Tally {
  constructor(env: { TALLY_LEDGER_DB: D1Database }) {
    super({ TALLY_DB: env.TALLY_LEDGER_DB });
  }
}
