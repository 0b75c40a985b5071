import { RpcTarget } from 'cloudflare:workers';
import type { SessionRow, SessionUserRow } from './session-tables.js';

/**
 * A session, handed to other workers by reference (an `RpcTarget`, as in
 * seed 000): callers read `user` and `session` over RPC.
 */
export class Session extends RpcTarget {
  constructor(
    private readonly userRow: SessionUserRow,
    private readonly sessionRow: SessionRow,
    /** True when this call created the session. */
    private readonly fresh = false,
  ) {
    super();
  }

  get user(): SessionUserRow {
    return this.userRow;
  }

  get session(): SessionRow & { readonly fresh: boolean } {
    return { ...this.sessionRow, fresh: this.fresh };
  }
}
