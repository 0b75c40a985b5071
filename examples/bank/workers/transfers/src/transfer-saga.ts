import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from 'cloudflare:workers';
import { runSaga, type SagaOutcome } from '@escf/cloudflare';
import { aggregates } from '../../../src/aggregates.js';
import type { EscfEnv } from './escf-env.generated.js';
import { type AccountLegs, moveMoney, type TransferParams } from './move-money.js';

/**
 * A transfer on Cloudflare Workflows: the legs (moveMoney), then the outcome
 * recorded on the Transfer aggregate — completed, or failed with what was
 * compensated. Started once per TransferRequested event by the transfers process.
 */
export class TransferSaga extends WorkflowEntrypoint<EscfEnv, TransferParams> {
  override async run(
    event: WorkflowEvent<TransferParams>,
    step: WorkflowStep,
  ): Promise<SagaOutcome<{ debited: number; credited: number }>> {
    const t = event.payload;
    const clients = aggregates(this.env);
    const legs: AccountLegs = {
      withdraw: async (id, amount, reference, idempotencyKey) => ({
        version: (
          await clients.account(id).withdraw({ amount, reference }, { idempotencyKey, correlationId: t.transferId })
        ).version,
      }),
      deposit: async (id, amount, reference, idempotencyKey) => ({
        version: (
          await clients.account(id).deposit({ amount, reference }, { idempotencyKey, correlationId: t.transferId })
        ).version,
      }),
    };
    // #region traced-saga
    // With the event and context, each step is a span in the trace of the TransferRequested event.
    const outcome = await runSaga(step, (saga) => moveMoney(saga, t, legs), { event, ctx: this.ctx });
    // #endregion
    await step.do('record the outcome', async () => {
      const transfer = clients.transfer(t.transferId);
      const options = { idempotencyKey: `${t.transferId}:outcome`, correlationId: t.transferId };
      if (outcome.status === 'completed') await transfer.complete({}, options);
      else await transfer.fail({ reason: outcome.error, compensated: [...outcome.compensated] }, options);
      return outcome.status;
    });
    return outcome;
  }
}
