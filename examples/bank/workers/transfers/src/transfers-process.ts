// The delivery subpath: no `cloudflare:workers` import, so the class is tested in plain Node.
import { sagaInstanceId } from '@escf/cloudflare/delivery';
import { type Envelope, EventHandler, Process, type ProcessHandlerContext } from '@escf/core';
import { TransferRequested } from '../../../src/domain/index.js';
import type { TransferParams } from './move-money.js';

export interface TransferEffects {
  /** Starts the saga of a transfer, once per triggering event. */
  startSaga(instanceId: string, params: TransferParams): Promise<void>;
}

/** Starts a TransferSaga for every requested transfer. */
@Process('transfers')
export class TransfersProcess {
  @EventHandler(TransferRequested)
  async onRequested(e: Envelope<TransferRequested>, { effects }: ProcessHandlerContext<TransferEffects>) {
    // The instance id comes from the event: a redelivered event finds the saga already running.
    await effects.startSaga(sagaInstanceId('transfers', e), { transferId: e.aggregateId, ...e.payload });
  }
}
