import type { OrderSagaParams } from './order-saga.js';

/** The bindings of the orders worker (see wrangler.jsonc). */
export interface OrdersEnv {
  ORDER_AGGREGATE: DurableObjectNamespace;
  ORDER_SAGA: Workflow<OrderSagaParams>;
  ORDERS_DB: D1Database;
  ORDER_FULFILMENT_DB: D1Database;
  ORDERS_QUEUE: Queue;
  ESCF_EVENTS: D1Database;
}
