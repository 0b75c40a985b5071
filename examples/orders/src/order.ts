import { Aggregate, Command, Conflict, defineEvent, EventHandler, type PayloadOf } from '@escf/core';
import { z } from 'zod';

export const OrderPlaced = defineEvent(
  'OrderPlaced',
  z.object({ amount: z.number().int().positive(), address: z.string().min(1) }),
);
export type OrderPlaced = PayloadOf<typeof OrderPlaced>;
export const OrderFulfilled = defineEvent(
  'OrderFulfilled',
  z.object({ paymentId: z.string(), trackingId: z.string() }),
);
export const OrderCancelled = defineEvent('OrderCancelled', z.object({ reason: z.string() }));

export type OrderState =
  | { readonly status: 'new' }
  | {
      readonly status: 'placed' | 'fulfilled' | 'cancelled';
      readonly amount: number;
      readonly address: string;
      readonly note?: string;
    };

/** An order: placed by a customer, then fulfilled or cancelled by the fulfilment saga. */
export class Order extends Aggregate<OrderState> {
  static readonly type = 'Order';
  protected initialState(): OrderState {
    return { status: 'new' };
  }

  @Command(z.object({ amount: z.number().int().positive(), address: z.string().min(1) }), { emits: [OrderPlaced] })
  place(input: { amount: number; address: string }) {
    if (this.state.status !== 'new') throw new Conflict('Order already placed');
    return new OrderPlaced(input);
  }

  @Command(z.object({ paymentId: z.string(), trackingId: z.string() }), { emits: [OrderFulfilled] })
  fulfil(input: { paymentId: string; trackingId: string }) {
    if (this.state.status !== 'placed') throw new Conflict(`Order is ${this.state.status}`);
    return new OrderFulfilled(input);
  }

  @Command(z.object({ reason: z.string() }), { emits: [OrderCancelled] })
  cancel(input: { reason: string }) {
    if (this.state.status !== 'placed') throw new Conflict(`Order is ${this.state.status}`);
    return new OrderCancelled(input);
  }

  @EventHandler(OrderPlaced)
  protected placed(e: OrderPlaced): OrderState {
    return { status: 'placed', amount: e.amount, address: e.address };
  }

  @EventHandler(OrderFulfilled)
  protected fulfilled(e: PayloadOf<typeof OrderFulfilled>): OrderState {
    return { ...(this.state as Exclude<OrderState, { status: 'new' }>), status: 'fulfilled', note: e.trackingId };
  }

  @EventHandler(OrderCancelled)
  protected cancelled(e: PayloadOf<typeof OrderCancelled>): OrderState {
    return { ...(this.state as Exclude<OrderState, { status: 'new' }>), status: 'cancelled', note: e.reason };
  }
}
