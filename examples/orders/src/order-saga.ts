import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from 'cloudflare:workers';
import { aggregateCommandSender, runSaga, type SagaOutcome } from '@escf/cloudflare';
import { processCommandsFor } from '@escf/core';
import { Order } from './order.js';
import { Payments, Shipping } from './payment-and-shipping.js';
import type { OrdersEnv } from './worker-env.js';

/** What the fulfilment process hands the saga. */
export interface OrderSagaParams {
  readonly orderId: string;
  readonly amount: number;
  readonly address: string;
  /** The OrderPlaced event: causation of the saga's commands. */
  readonly eventId: string;
  readonly correlationId: string;
}

/**
 * Order → payment → shipment. Each step is durable (a Workflow step: its
 * result is persisted, it is retried on failure). If shipping fails for
 * good, the payment is refunded and the order cancelled; otherwise the order
 * is fulfilled. Commands carry idempotency keys derived from the triggering
 * event, so a replayed step never applies twice.
 */
export class OrderSaga extends WorkflowEntrypoint<OrdersEnv, OrderSagaParams> {
  override async run(
    event: WorkflowEvent<OrderSagaParams>,
    step: WorkflowStep,
  ): Promise<SagaOutcome<{ paymentId: string; trackingId: string }>> {
    const order = event.payload;
    const payments = new Payments(this.env.ORDERS_DB);
    const shipping = new Shipping(this.env.ORDERS_DB);
    const commands = processCommandsFor(
      aggregateCommandSender(this.env, [{ aggregate: Order, binding: 'ORDER_AGGREGATE' }]),
      'order-saga',
      {
        id: order.eventId,
        metadata: { correlationId: order.correlationId, causationId: order.eventId },
      },
    );

    const outcome = await runSaga(
      step,
      async (saga) => {
        const { paymentId } = await saga.step(
          'charge payment',
          () => payments.charge(order.orderId, order.amount),
          ({ paymentId }) => payments.refund(paymentId),
        );
        const { trackingId } = await saga.step('ship', () => shipping.ship(order.orderId, order.address), undefined, {
          retries: { limit: 1, delay: 10, backoff: 'constant' },
        });
        return { paymentId, trackingId };
      },
      { event, ctx: this.ctx }, // tracing on: each step is a span in the trace of the event that started the saga
    );

    await step.do('record outcome on the order', async () => {
      const client = commands.to(Order, order.orderId);
      if (outcome.status === 'completed') await client.fulfil(outcome.output);
      else await client.cancel({ reason: outcome.error });
      return outcome.status;
    });
    return outcome;
  }
}
