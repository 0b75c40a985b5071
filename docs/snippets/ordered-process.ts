import { type ProcessStatus, processEntrypoint } from '@escf/cloudflare';
import {
  defineEvent,
  type Envelope,
  EventHandler,
  type PayloadOf,
  Process,
  type ProcessHandlerContext,
} from '@escf/core';
import { z } from 'zod';

export const WithdrawalMade = defineEvent('WithdrawalMade', z.object({ amount: z.number().int() }));
export type WithdrawalMade = PayloadOf<typeof WithdrawalMade>;

interface Effects {
  flag(accountId: string, amount: number): Promise<void>;
}

@Process('flag-large-withdrawals')
export class FlagLargeWithdrawals {
  @EventHandler(WithdrawalMade)
  async onWithdrawal(e: Envelope<WithdrawalMade>, { effects }: ProcessHandlerContext<Effects>) {
    if (e.payload.amount >= 10_000) await effects.flag(e.aggregateId, e.payload.amount);
  }
}

interface Env {
  FLAG_LARGE_WITHDRAWALS_DB: D1Database;
  ESCF_EVENTS: D1Database;
  COMPLIANCE: { flag(accountId: string, amount: number): Promise<void> };
}

// Events of one account are handled in version order, a failure stops only that
// account, and an event whose queue message was lost is pulled from the log.
export const FlagLargeWithdrawalsEntrypoint = processEntrypoint(FlagLargeWithdrawals, {
  ordering: 'stream',
  maxRetries: 3, // the consumer's max_retries
  deadLetterQueue: 'flag-large-withdrawals-dlq',
  effects: (env: Env): Effects => ({ flag: (accountId, amount) => env.COMPLIANCE.flag(accountId, amount) }),
});

// Operator actions, over RPC from another worker (or the admin console):
export async function heal(process: InstanceType<typeof FlagLargeWithdrawalsEntrypoint>): Promise<ProcessStatus> {
  const status = await process.status(); // stuck streams: version, event, error, attempts, dead-lettered
  if (status.stuck.length > 0) await process.retryStuck(); // after fixing the cause
  // Hand a range of the log to the process again: handled events are skipped by id.
  for (let from = 1; ; ) {
    const report = await process.redrive({ fromPosition: from });
    if (!report.more) break;
    from = report.lastPosition + 1;
  }
  return process.status();
}
