// The Tally read model under another projection name and binding, for the
// blue/green rebuild tests: ESCF constructs it once with the worker's env and
// once with TALLY_BG_DB replaced by the standby database (TALLY_BG_DB_NEXT).
import { Projection } from '@escf/core';
import { Tally } from './tally-projection.js';

export interface BlueGreenTallyEnv {
  TALLY_BG_DB: D1Database;
}

@Projection('tally_bg')
export class BlueGreenTally extends Tally {
  constructor(env: BlueGreenTallyEnv) {
    super({ TALLY_DB: env.TALLY_BG_DB });
  }
}
