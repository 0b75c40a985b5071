import type { ProcessEntrypointOptions } from '@escf/cloudflare';
import { type Envelope, EventHandler, Process, type ProcessHandlerContext } from '@escf/core';
import { Account, Withdrawn } from '../../../src/domain/index.js';
import type { EscfEnv } from './escf-env.generated.js';

/** Withdrawals at or above this amount (in minor units) are flagged. */
export const LARGE_WITHDRAWAL = 10_000;

export interface ComplianceEffects {
  /** Tells compliance (here: the log) about a large withdrawal. */
  report(accountId: string, amount: number, reference: string): Promise<void>;
}

/**
 * Flags large withdrawals: reports them and records a flag on the account.
 * Ordered per account (`ordering: 'stream'`): a withdrawal whose queue
 * message was lost is picked up from the log when the next event of that
 * account arrives, and a failing one holds back only its account.
 */
@Process('large-withdrawals')
export class LargeWithdrawalsProcess {
  @EventHandler(Withdrawn)
  async onWithdrawn(e: Envelope<Withdrawn>, { effects, commands }: ProcessHandlerContext<ComplianceEffects>) {
    if (e.payload.amount < LARGE_WITHDRAWAL) return;
    await effects.report(e.aggregateId, e.payload.amount, e.payload.reference);
    // Idempotent: the key is derived from this event, so a redelivery records the flag once.
    await commands
      .to(Account, e.aggregateId)
      .flagLargeWithdrawal({ amount: e.payload.amount, reference: e.payload.reference });
  }
}

/** Passed to the generated entrypoint (`options` in escf.config.ts). */
export const largeWithdrawalsOptions: ProcessEntrypointOptions<EscfEnv, ComplianceEffects> = {
  ordering: 'stream',
  effects: () => ({
    async report(accountId, amount, reference) {
      console.log(`Large withdrawal on ${accountId}: ${amount} (${reference})`);
    },
  }),
};
