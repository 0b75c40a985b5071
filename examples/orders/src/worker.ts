// The orders worker: the Order aggregate (Durable Objects publishing to the
// orders queue), the fulfilment process consuming that queue, and the saga
// Workflow it starts.
import { durableObjectFor, processEntrypoint, startWorkflowOnce } from '@escf/cloudflare';
import { Order } from './order.js';
import { type FulfilmentEffects, OrderFulfilment } from './order-fulfilment.js';
import type { OrdersEnv } from './worker-env.js';

export { OrderSaga } from './order-saga.js';

export const OrderAggregate = durableObjectFor(Order, { queues: ['ORDERS_QUEUE'] });

export default processEntrypoint(OrderFulfilment, {
  effects: (env: OrdersEnv): FulfilmentEffects => ({
    async startSaga(instanceId, params) {
      await startWorkflowOnce(env.ORDER_SAGA, instanceId, params);
    },
  }),
});
