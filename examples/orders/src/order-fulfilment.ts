import { sagaInstanceId } from '@escf/cloudflare';
import { type Envelope, EventHandler, Process, type ProcessHandlerContext } from '@escf/core';
import { OrderPlaced } from './order.js';
import type { OrderSagaParams } from './order-saga.js';

export interface FulfilmentEffects {
  /** Starts the saga for an order, once per triggering event. */
  startSaga(instanceId: string, params: OrderSagaParams): Promise<void>;
}

/** Reacts to a placed order by starting its fulfilment saga on Cloudflare Workflows. */
@Process('order-fulfilment')
export class OrderFulfilment {
  @EventHandler(OrderPlaced)
  async onPlaced(e: Envelope<OrderPlaced>, { effects }: ProcessHandlerContext<FulfilmentEffects>) {
    // The instance id comes from the event: a redelivered event finds the saga already running.
    await effects.startSaga(sagaInstanceId('order-fulfilment', e), {
      orderId: e.aggregateId,
      amount: e.payload.amount,
      address: e.payload.address,
      eventId: e.id,
      correlationId: e.metadata.correlationId,
    });
  }
}
